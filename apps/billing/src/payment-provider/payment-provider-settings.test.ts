import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { loadConfig } from '@faultline/shared/config';
import { DEFAULT_RESILIENCE_POLICY } from '@faultline/shared/resilience';
import { paymentProviderClientSettings, paymentProviderEnvironment } from './payment-provider-settings.js';

function settingsFrom(env: Record<string, string>) {
  const full = { PAYMENT_PROVIDER_HTTP_PORT: '3104', ...env };
  return paymentProviderClientSettings('billing', loadConfig('billing', z.object(paymentProviderEnvironment), full), full);
}

describe('payment provider client settings', () => {
  it('calls the simulator on loopback with keys, the correct breaker and the default policy when nothing is set', () => {
    const settings = settingsFrom({});
    assert.equal(settings.baseUrl, 'http://127.0.0.1:3104');
    assert.equal(settings.calls, 'keyed');
    assert.equal(settings.breaker, 'correct');
    assert.deepEqual(settings.policy, DEFAULT_RESILIENCE_POLICY);
  });

  it('lets the workshop shorten the half-open delay, the timeout and the minimum volume', () => {
    const { policy } = settingsFrom({
      BILLING_PROVIDER_BREAKER_HALF_OPEN_MS: '2000',
      BILLING_PROVIDER_TIMEOUT_MS: '500',
      BILLING_PROVIDER_BREAKER_MINIMUM_CALLS: '3',
    });
    assert.equal(policy.breaker.halfOpenAfterMs, 2_000);
    assert.equal(policy.timeoutMs, 500);
    assert.equal(policy.breaker.minimumCalls, 3);
    assert.equal(policy.breaker.failureRatio, DEFAULT_RESILIENCE_POLICY.breaker.failureRatio);
  });

  it('refuses either naive switch outside workshop mode, and names the article it reproduces', () => {
    assert.throws(() => settingsFrom({ BILLING_PROVIDER_BREAKER: 'naive' }), /article 1.*FAULTLINE_WORKSHOP_MODE=true/s);
    assert.throws(() => settingsFrom({ BILLING_PROVIDER_CALLS: 'naive' }), /article 6.*FAULTLINE_WORKSHOP_MODE=true/s);
    const workshop = settingsFrom({ BILLING_PROVIDER_BREAKER: 'naive', BILLING_PROVIDER_CALLS: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(workshop.breaker, 'naive');
    assert.equal(workshop.calls, 'naive');
  });
});
