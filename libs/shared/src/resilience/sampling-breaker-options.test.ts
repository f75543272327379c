import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESILIENCE_POLICY, assertValidPolicy } from './resilience-policy.js';
import { samplingBreakerOptions } from './sampling-breaker-options.js';

describe('samplingBreakerOptions', () => {
  it('converts 5 calls per 10 s window into a minimumRps that cockatiel satisfies at exactly 5 calls', () => {
    const options = samplingBreakerOptions(DEFAULT_RESILIENCE_POLICY.breaker);
    const required = options.duration * ((options.minimumRps ?? 0) / 1_000);
    assert.ok(required > 4 && required <= 5, `cockatiel would demand ${required} calls`);
  });

  it('turns "at or above the ratio" into a threshold cockatiel compares strictly, kept below 1', () => {
    assert.ok(samplingBreakerOptions({ ...DEFAULT_RESILIENCE_POLICY.breaker, failureRatio: 0.5 }).threshold < 0.5);
    assert.ok(samplingBreakerOptions({ ...DEFAULT_RESILIENCE_POLICY.breaker, failureRatio: 1 }).threshold < 1);
  });

  it('rejects a policy whose numbers make no sense, naming each one', () => {
    assert.throws(
      () => assertValidPolicy('payment-provider', { ...DEFAULT_RESILIENCE_POLICY, breaker: { ...DEFAULT_RESILIENCE_POLICY.breaker, failureRatio: 0, minimumCalls: 0 } }),
      /payment-provider: .*minimumCalls.*failureRatio/,
    );
  });
});
