import type { Narrator, ScenarioOutcome } from '../scenario.js';
import { authorize, authorizeMany, percentile, statusCounts } from './authorization-traffic.js';
import type { Services } from './breaker-opening.js';
import { breakerState, openTransitions } from './breaker-readings.js';
import { ms, round } from './call-timings.js';
import { CALLER_PATIENCE_MS, HANG_MS, MINIMUM_CALLS } from './circuit-breaker-settings.js';

/**
 * Naive mode: a library-default breaker with no timeout inside. Every caller waits out the hanging
 * provider, the 5xx bursts stay below the breaker's volume, and it never opens.
 */
export async function showBreakerNeverOpening({ provider, billing }: Services, narrate: Narrator): Promise<ScenarioOutcome> {
  const billingUrl = billing.url;
  const waitingCalls = MINIMUM_CALLS * 2;
  narrate.step(`The provider hangs (${HANG_MS / 1_000} s per call); ${waitingCalls} callers at once`);
  await provider.setFaults({ latencyMs: HANG_MS });
  await provider.resetStats();
  const waiting = await Promise.all(Array.from({ length: waitingCalls }, () => authorize(billing, CALLER_PATIENCE_MS)));
  const waitingReached = (await provider.stats()).byOperation.authorize;
  const p50 = percentile(waiting, 0.5);
  narrate.detail(`${statusCounts(waiting)}; every caller waited: p50 ${ms(p50)}; the provider received ${waitingReached} calls`);

  const failingCalls = MINIMUM_CALLS * 4;
  narrate.step(`The provider fails every call (5xx); ${failingCalls} callers, ${MINIMUM_CALLS} at a time`);
  await provider.setFaults({ errorRate: 1 });
  await provider.resetStats();
  const failing = await authorizeMany(billing, failingCalls, MINIMUM_CALLS, CALLER_PATIENCE_MS);
  const failingReached = (await provider.stats()).byOperation.authorize;
  narrate.detail(`${statusCounts(failing)}; the provider received ${failingReached} calls (each caller's retries included)`);

  const opens = await openTransitions(billingUrl);
  const neverOpened = opens === 0 && (await breakerState(billingUrl)) === 0;
  narrate.detail(`breaker transitions to open: ${opens}; state now ${neverOpened ? 'closed' : 'open'}`);
  return {
    showedWhatItPromised: neverOpened && p50 >= HANG_MS && waitingReached === waitingCalls && failingReached >= failingCalls,
    measurements: {
      breakerOpened: !neverOpened,
      slowCalls: waiting.length,
      slowCallP50Ms: round(p50),
      providerReceivedSlowCalls: waitingReached,
      failingCalls: failing.length,
      failingStatuses: statusCounts(failing),
      providerReceivedFailingCalls: failingReached,
    },
  };
}
