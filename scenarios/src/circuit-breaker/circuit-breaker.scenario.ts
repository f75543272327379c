import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';
import { ServiceProcess } from '@faultline/shared/testing';
import { requireScenarioPortsFree } from '../free-ports.js';
import { ScenarioIdentity } from '../identity.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { authorize, type BillingPayments } from './authorization-traffic.js';
import { showBreakerNeverOpening } from './breaker-never-opening.js';
import { showBreakerOpening } from './breaker-opening.js';
import { ms } from './call-timings.js';
import { CALLER_PATIENCE_MS, FAST_FAILURE_CALLS, HALF_OPEN_MS, MINIMUM_CALLS } from './circuit-breaker-settings.js';
import { ProviderAdmin } from './provider-admin.js';

export { DECLINES, FAST_FAILURE_CALLS, HALF_OPEN_MS, PROBE_WAVE } from './circuit-breaker-settings.js';

/**
 * Article 1 — the circuit breaker that never triggers. Billing and the payment provider simulator
 * run as real processes; the scenario drives billing's POST /payments/authorizations (what the
 * order saga calls) while it makes the provider hang or fail through its fault switch.
 * Correct: the timeout inside the breaker turns a hang into failures, the breaker opens at its
 * minimum volume, the next calls fail fast with 503 + Retry-After and never reach the provider;
 * after the half-open delay one probe goes through (failure reopens, success closes); declined
 * cards (4xx) leave it closed. Naive: one library-default breaker, no timeout inside; every caller
 * waits for the slow provider, 5xx bursts stay below its volume, and it never opens.
 */
export const circuitBreakerScenario: Scenario = {
  name: 'circuit-breaker',
  article: 1,
  title: 'Circuit breaker — the breaker that never opens',
  switches: { naive: { BILLING_PROVIDER_BREAKER: 'naive' }, correct: { BILLING_PROVIDER_BREAKER: 'correct' } },
  promise: {
    naive: 'the provider hangs, then fails: every caller waits it out or gets retried 5xx, every call reaches the provider, and the breaker never opens',
    correct:
      `the provider hangs: the breaker opens after ${MINIMUM_CALLS} calls, up to ${FAST_FAILURE_CALLS} calls while it is open fail fast without reaching it, ` +
      `one probe after ${HALF_OPEN_MS / 1_000} s, and declined cards leave it closed`,
  },
  run: runCircuitBreaker,
};

async function runCircuitBreaker(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = loadConfig('scenarios', z.object({ BILLING_HTTP_PORT: port(), PAYMENT_PROVIDER_HTTP_PORT: port() }));
  await requireScenarioPortsFree({ 'payment-provider': env.PAYMENT_PROVIDER_HTTP_PORT, billing: env.BILLING_HTTP_PORT });
  const serviceEnv: Record<string, string> = {
    FAULTLINE_WORKSHOP_MODE: 'true',
    ...circuitBreakerScenario.switches[mode],
    BILLING_PROVIDER_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
  };
  let providerProcess: ServiceProcess | undefined;
  let billing: ServiceProcess | undefined;
  let identity: ScenarioIdentity | undefined;
  let provider: ProviderAdmin | undefined;
  try {
    narrate.step('Starting the identity provider, the payment provider simulator and billing');
    // Side by side: none needs another to start (billing fetches the identity provider's keys and
    // calls the payment provider only per request).
    const [startedIdentity, startedProvider, startedBilling] = await Promise.allSettled([
      ScenarioIdentity.start(),
      ServiceProcess.start({ app: 'payment-provider', port: env.PAYMENT_PROVIDER_HTTP_PORT, env: () => ({}), logName: 'scenario-payment-provider' }),
      ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' }),
    ]);
    if (startedIdentity.status === 'fulfilled') identity = startedIdentity.value;
    if (startedProvider.status === 'fulfilled') providerProcess = startedProvider.value;
    if (startedBilling.status === 'fulfilled') billing = startedBilling.value;
    if (startedIdentity.status === 'rejected') throw startedIdentity.reason;
    if (startedProvider.status === 'rejected') throw startedProvider.reason;
    if (startedBilling.status === 'rejected') throw startedBilling.reason;
    provider = new ProviderAdmin(startedProvider.value.url);
    await provider.clearFaults();
    const billingProcess = startedBilling.value;
    narrate.detail(
      `billing runs with BILLING_PROVIDER_BREAKER=${serviceEnv.BILLING_PROVIDER_BREAKER} and BILLING_PROVIDER_BREAKER_HALF_OPEN_MS=${HALF_OPEN_MS} ` +
        `(the scenario shortens the 15 s default so the room does not wait); log: ${billingProcess.logFile}`,
    );
    // The callers are the order saga: orders' service token from the identity provider (article 2).
    const payments: BillingPayments = { url: billingProcess.url, asOrders: startedIdentity.value.asOrdersService };
    const warmUp = await authorize(payments, CALLER_PATIENCE_MS);
    narrate.detail(`a first authorization with a healthy provider: ${warmUp.status} in ${ms(warmUp.durationMs)}`);
    const services = { provider, billing: payments };
    return mode === 'correct' ? await showBreakerOpening(services, narrate) : await showBreakerNeverOpening(services, narrate);
  } finally {
    // Releases any request still held by the provider before the services stop.
    await provider?.clearFaults().catch(() => undefined);
    await billing?.stop();
    await providerProcess?.stop();
    await identity?.stop();
  }
}
