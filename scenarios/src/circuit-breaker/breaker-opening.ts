import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_RESILIENCE_POLICY } from '@faultline/shared/resilience';
import type { Narrator, ScenarioOutcome } from '../scenario.js';
import { authorize, authorizeMany, percentile, statusCounts, type AuthorizationCall, type BillingPayments } from './authorization-traffic.js';
import { breakerState, halfOpenTransitions, rejectedWithin5ms } from './breaker-readings.js';
import { ms, round } from './call-timings.js';
import {
  CALLER_PATIENCE_MS,
  DECLINES,
  FAST_FAILURE_CALLS,
  FAST_FAILURE_CONCURRENCY,
  FAST_FAILURE_START_MARGIN_MS,
  HALF_OPEN_MS,
  HANG_MS,
  MINIMUM_CALLS,
  PROBE_WAVE,
  SLOW_BUT_HEALTHY_MS,
} from './circuit-breaker-settings.js';
import type { ProviderAdmin } from './provider-admin.js';

/** The two processes a mode's steps drive: the provider's fault switch and billing's payments API. */
export interface Services {
  provider: ProviderAdmin;
  billing: BillingPayments;
}

/**
 * Correct mode: the provider hangs and the breaker opens at its minimum volume; while it is open,
 * calls fail fast without reaching the provider; after the half-open delay one probe goes through
 * (failure reopens, success closes); declined cards leave it closed.
 */
export async function showBreakerOpening({ provider, billing }: Services, narrate: Narrator): Promise<ScenarioOutcome> {
  const billingUrl = billing.url;
  narrate.step(`The provider hangs (${HANG_MS / 1_000} s per call, past billing's ${DEFAULT_RESILIENCE_POLICY.timeoutMs / 1_000} s timeout); callers keep coming, ${MINIMUM_CALLS} at a time`);
  await provider.setFaults({ latencyMs: HANG_MS });
  await provider.resetStats();
  const opening: Promise<AuthorizationCall>[] = [];
  let seenOpening: BreakerOpening | undefined;
  while (seenOpening === undefined && opening.length < MINIMUM_CALLS * 4) {
    const wave = Array.from({ length: MINIMUM_CALLS }, () => authorize(billing, CALLER_PATIENCE_MS));
    opening.push(...wave);
    seenOpening = await whenBreakerOpens(billingUrl, Promise.all(wave));
  }
  // Counted as soon as it opens: from then on nothing new reaches the provider, so this is the
  // volume it took (a retry already on its way when the breaker opened has arrived by now).
  const openedAfter = (await provider.stats()).byOperation.authorize;
  const opened = seenOpening !== undefined;
  narrate.detail(
    opened
      ? `the breaker opened after ${openedAfter} calls reached the provider: its minimum volume is ${MINIMUM_CALLS} calls, ` +
          `and a retry of the first callers to time out may already be on its way when the last of those ${MINIMUM_CALLS} is counted`
      : `the breaker did NOT open after ${opening.length} calls`,
  );
  const openedAt = seenOpening?.seenAt ?? performance.now();
  // The half-open delay runs from the moment the breaker opened, which lies between the last look
  // that saw it closed and the first that saw it open: it cannot end before this.
  const halfOpenNotBefore = (seenOpening?.notBefore ?? performance.now()) + HALF_OPEN_MS;

  narrate.step(`Up to ${FAST_FAILURE_CALLS} calls while the breaker is open, ${FAST_FAILURE_CONCURRENCY} at a time`);
  await provider.resetStats();
  const rejectedBefore = await rejectedWithin5ms(billingUrl);
  const probesBefore = await halfOpenTransitions(billingUrl);
  const stepStarted = performance.now();
  const calls = await authorizeMany(
    billing,
    FAST_FAILURE_CALLS,
    FAST_FAILURE_CONCURRENCY,
    CALLER_PATIENCE_MS,
    halfOpenNotBefore - FAST_FAILURE_START_MARGIN_MS,
  );
  const stepSeconds = (performance.now() - stepStarted) / 1_000;
  const stepStats = await provider.stats();
  const probedDuringStep = (await halfOpenTransitions(billingUrl)) - probesBefore;
  // Only a call answered before the half-open delay could end was certainly met by the open
  // breaker; one answered later (a machine too busy for the step) is left out, not counted.
  const fastFailures = calls.filter((c) => c.endedAt < halfOpenNotBefore);
  const answeredLate = calls.length - fastFailures.length;
  const receivedWhileOpen = fastFailures.reduce((sum, c) => sum + providerRequestsFor(stepStats.authorizeRequestsByKey, c.idempotencyKey), 0);
  const rejected = await rejectedWithin5ms(billingUrl);
  const rejectedInBreaker = rejected.total - rejectedBefore.total;
  const rejectedUnder5ms = rejected.under5ms - rejectedBefore.under5ms;
  const p50 = percentile(fastFailures, 0.5);
  const p99 = percentile(fastFailures, 0.99);
  const retryAfter = fastFailures.find((c) => c.retryAfter !== null)?.retryAfter ?? 'none';
  narrate.detail(
    `${calls.length} calls in ${stepSeconds.toFixed(1)} s: ${statusCounts(fastFailures)}; Retry-After: ${retryAfter} s; ` +
      `p50 ${ms(p50)}, p99 ${ms(p99)} (HTTP round trip through billing)`,
  );
  narrate.detail(
    `inside billing, the breaker refused ${rejectedInBreaker} attempts meanwhile (these calls, and any retry of the callers ` +
      `who met the hang), ${rejectedUnder5ms} of them within 5 ms; the provider received ${receivedWhileOpen} of the ${fastFailures.length} calls`,
  );
  if (calls.length < FAST_FAILURE_CALLS || answeredLate > 0 || probedDuringStep > 0) {
    narrate.detail(
      `the machine is busy: ${calls.length} of ${FAST_FAILURE_CALLS} calls started at least ${FAST_FAILURE_START_MARGIN_MS} ms before the half-open ` +
        `delay could end; ${answeredLate} answered after it are not counted; probes meanwhile: ${probedDuringStep}`,
    );
  }
  // A probe during the step failed on the hanging provider and reopened the breaker before the
  // step's last answer: the next half-open delay runs from no later than now.
  const nextProbeAt = (probedDuringStep > 0 ? performance.now() : openedAt) + HALF_OPEN_MS;
  const openingCalls = await Promise.all(opening);
  narrate.detail(`(the ${openingCalls.length} callers who met the hang got ${statusCounts(openingCalls)}, p50 ${ms(percentile(openingCalls, 0.5))}: a timeout, then the open breaker)`);

  narrate.step(`After the ${HALF_OPEN_MS / 1_000} s half-open delay, the provider still fails (5xx): one probe, and the breaker reopens`);
  await provider.setFaults({ errorRate: 1 });
  await sleep(Math.max(0, nextProbeAt + 200 - performance.now()));
  await provider.resetStats();
  const failedProbe = await authorize(billing, CALLER_PATIENCE_MS);
  const failedProbeReached = (await provider.stats()).byOperation.authorize;
  const reopenedAt = performance.now();
  const reopened = (await breakerState(billingUrl)) === 2;
  narrate.detail(`probe answered ${failedProbe.status}; the provider received ${failedProbeReached} call; breaker ${reopened ? 'open again' : 'NOT open'}`);

  narrate.step(
    `After another ${HALF_OPEN_MS / 1_000} s the provider is healthy but slow (${SLOW_BUT_HEALTHY_MS / 1_000} s): ${PROBE_WAVE} callers at once, one probe`,
  );
  await provider.setFaults({ latencyMs: SLOW_BUT_HEALTHY_MS });
  await sleep(Math.max(0, reopenedAt + HALF_OPEN_MS + 200 - performance.now()));
  await provider.resetStats();
  const probeWave = await Promise.all(Array.from({ length: PROBE_WAVE }, () => authorize(billing, CALLER_PATIENCE_MS)));
  const probesReached = (await provider.stats()).byOperation.authorize;
  const closedAfterProbe = (await breakerState(billingUrl)) === 0;
  const failedFastDuringProbe = probeWave.filter((c) => c.status === 503).length;
  narrate.detail(`${statusCounts(probeWave)}: the provider received ${probesReached} call; breaker ${closedAfterProbe ? 'closed' : 'NOT closed'}`);

  narrate.step(`The provider declines every card (402): ${DECLINES} calls`);
  await provider.setFaults({ decline: true });
  const declines = await authorizeMany(billing, DECLINES, MINIMUM_CALLS, CALLER_PATIENCE_MS);
  const closedAfterDeclines = (await breakerState(billingUrl)) === 0;
  narrate.detail(`${statusCounts(declines)}; breaker ${closedAfterDeclines ? 'still closed' : 'OPENED'}`);

  const showed =
    opened &&
    openedAfter <= MINIMUM_CALLS * 2 &&
    fastFailures.length > 0 &&
    receivedWhileOpen === 0 &&
    rejectedInBreaker >= fastFailures.length &&
    fastFailures.every((c) => c.status === 503 && c.retryAfter !== null) &&
    failedProbeReached === 1 &&
    reopened &&
    probesReached === 1 &&
    failedFastDuringProbe === PROBE_WAVE - 1 &&
    closedAfterProbe &&
    declines.every((c) => c.status === 402) &&
    closedAfterDeclines;
  return {
    showedWhatItPromised: showed,
    measurements: {
      breakerOpened: opened,
      openedAfterCalls: openedAfter,
      fastFailureCalls: fastFailures.length,
      fastFailureCallsAnsweredLate: answeredLate,
      fastFailureStepSeconds: Number(stepSeconds.toFixed(1)),
      providerReceivedDuringFastFailureStep: stepStats.byOperation.authorize,
      fastFailureStatuses: statusCounts(fastFailures),
      fastFailureP50Ms: round(p50),
      fastFailureP99Ms: round(p99),
      rejectedInsideBillingWithin5ms: `${rejectedUnder5ms} of ${rejectedInBreaker}`,
      providerReceivedWhileOpen: receivedWhileOpen,
      failedProbeReachedProvider: failedProbeReached,
      reopenedAfterFailedProbe: reopened,
      probesReachedProvider: probesReached,
      callsFailedFastDuringProbe: failedFastDuringProbe,
      closedAfterProbe,
      declinedCalls: declines.filter((c) => c.status === 402).length,
      closedAfterDeclines,
    },
  };
}

/** When the breaker opened, as seen from outside: after `notBefore`, at the latest at `seenAt` (`performance.now()` times). */
interface BreakerOpening {
  notBefore: number;
  seenAt: number;
}

/**
 * Polls billing's breaker while `calls` run: when it is seen open, or undefined if they all end
 * first. The breaker is closed when they start (the previous wave ended with it closed).
 */
async function whenBreakerOpens(billingUrl: string, calls: Promise<unknown>): Promise<BreakerOpening | undefined> {
  let settled = false;
  const settle = () => (settled = true);
  // Their outcome is read later by the caller; here only "have they all ended".
  calls.then(settle, settle);
  let notBefore = performance.now();
  for (;;) {
    const finished = settled;
    const lookedAt = performance.now();
    if ((await breakerState(billingUrl)) === 2) return { notBefore, seenAt: performance.now() };
    if (finished) return undefined;
    notBefore = lookedAt;
    await sleep(25);
  }
}

/**
 * The authorize requests that reached the provider for one caller's call: billing sends the
 * provider a key derived from its caller's (`billing:authorize:<the caller's key>`, article 6).
 */
function providerRequestsFor(requestsByKey: Record<string, number>, callerKey: string): number {
  return Object.entries(requestsByKey)
    .filter(([providerKey]) => providerKey.includes(callerKey))
    .reduce((sum, [, requests]) => sum + requests, 0);
}
