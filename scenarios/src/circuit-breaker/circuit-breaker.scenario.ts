import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';
import { DEFAULT_RESILIENCE_POLICY } from '@faultline/shared/resilience';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { ServiceProcess, requirePortFree } from '@faultline/shared/testing';
import { authorize, authorizeMany, percentile, statusCounts, type AuthorizationCall, type BillingPayments } from './authorization-traffic.js';
import { ProviderAdmin } from './provider-admin.js';
import { ScenarioIdentity, requireIdentityPortFree } from '../identity.js';

/**
 * The half-open delay the scenario gives billing (BILLING_PROVIDER_BREAKER_HALF_OPEN_MS) instead of
 * the default 15 s, so the room does not wait.
 */
export const HALF_OPEN_MS = 4_000;
/** The provider's latency while it "hangs": well past billing's 2 s timeout. */
const HANG_MS = 5_000;
/** Calls made while the breaker is open (at most: see the margin below), and how many go at once. */
export const FAST_FAILURE_CALLS = 100;
const FAST_FAILURE_CONCURRENCY = 10;
/**
 * The fast-failure step starts no call later than this before the half-open delay can end: a call
 * started later could reach the breaker after it and become its probe. A machine too busy for 100
 * calls in the time makes fewer, and says so; none of those it makes may reach the provider.
 */
const FAST_FAILURE_START_MARGIN_MS = 1_000;
/**
 * The provider's latency once it is healthy again but slow: under billing's 2 s timeout, and long
 * enough that the probe wave's other callers, each first claiming its key in billing's database,
 * reach the breaker while the probe is still out, even on a busy machine.
 */
const SLOW_BUT_HEALTHY_MS = 1_000;
/** Concurrent calls while the half-open probe is in flight: all but one must fail fast. */
export const PROBE_WAVE = 10;
/** Declined cards (402) in a row: a healthy provider saying no must not open the breaker. */
export const DECLINES = 20;
/** How long a caller waits before giving up (the saga's activity would time out about here). */
const CALLER_PATIENCE_MS = 10_000;

const MINIMUM_CALLS = DEFAULT_RESILIENCE_POLICY.breaker.minimumCalls;
const DEPENDENCY = { dependency: 'payment-provider' };

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
  promise: {
    naive: 'the provider hangs, then fails: every caller waits it out or gets retried 5xx, every call reaches the provider, and the breaker never opens',
    correct:
      `the provider hangs: the breaker opens after ${MINIMUM_CALLS} calls, up to ${FAST_FAILURE_CALLS} calls while it is open fail fast without reaching it, ` +
      `one probe after ${HALF_OPEN_MS / 1_000} s, and declined cards leave it closed`,
  },
  run: (mode, narrate) => runCircuitBreaker(mode, narrate),
};

interface Services {
  provider: ProviderAdmin;
  billing: BillingPayments;
}

async function runCircuitBreaker(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = loadConfig('scenarios', z.object({ BILLING_HTTP_PORT: port(), PAYMENT_PROVIDER_HTTP_PORT: port() }));
  await requirePortFree('payment-provider', env.PAYMENT_PROVIDER_HTTP_PORT);
  await requirePortFree('billing', env.BILLING_HTTP_PORT);
  await requireIdentityPortFree();
  const serviceEnv = {
    FAULTLINE_WORKSHOP_MODE: 'true',
    BILLING_PROVIDER_BREAKER: mode,
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
      `billing runs with BILLING_PROVIDER_BREAKER=${mode} and BILLING_PROVIDER_BREAKER_HALF_OPEN_MS=${HALF_OPEN_MS} ` +
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

async function showBreakerOpening({ provider, billing }: Services, narrate: Narrator): Promise<ScenarioOutcome> {
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
  const openedAfter = (await provider.stats()).requestsReceived;
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
  const failedProbeReached = (await provider.stats()).requestsReceived;
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
  const probesReached = (await provider.stats()).requestsReceived;
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
      providerReceivedDuringFastFailureStep: stepStats.requestsReceived,
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

async function showBreakerNeverOpening({ provider, billing }: Services, narrate: Narrator): Promise<ScenarioOutcome> {
  const billingUrl = billing.url;
  const waitingCalls = MINIMUM_CALLS * 2;
  narrate.step(`The provider hangs (${HANG_MS / 1_000} s per call); ${waitingCalls} callers at once`);
  await provider.setFaults({ latencyMs: HANG_MS });
  await provider.resetStats();
  const waiting = await Promise.all(Array.from({ length: waitingCalls }, () => authorize(billing, CALLER_PATIENCE_MS)));
  const waitingReached = (await provider.stats()).requestsReceived;
  const p50 = percentile(waiting, 0.5);
  narrate.detail(`${statusCounts(waiting)}; every caller waited: p50 ${ms(p50)}; the provider received ${waitingReached} calls`);

  const failingCalls = MINIMUM_CALLS * 4;
  narrate.step(`The provider fails every call (5xx); ${failingCalls} callers, ${MINIMUM_CALLS} at a time`);
  await provider.setFaults({ errorRate: 1 });
  await provider.resetStats();
  const failing = await authorizeMany(billing, failingCalls, MINIMUM_CALLS, CALLER_PATIENCE_MS);
  const failingReached = (await provider.stats()).requestsReceived;
  narrate.detail(`${statusCounts(failing)}; the provider received ${failingReached} calls (each caller's retries included)`);

  const opens = await scrapeMetric(billingUrl, 'faultline_dependency_breaker_transitions_total', { ...DEPENDENCY, to: 'open' });
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

/** How often billing's breaker has let a probe through (open → half-open) since it started. */
function halfOpenTransitions(billingUrl: string): Promise<number> {
  return scrapeMetric(billingUrl, 'faultline_dependency_breaker_transitions_total', { ...DEPENDENCY, to: 'half-open' });
}

/** Calls the open breaker refused, and how many of those took at most 5 ms inside billing (the histogram's bucket). */
async function rejectedWithin5ms(billingUrl: string): Promise<{ total: number; under5ms: number }> {
  const histogram = 'faultline_dependency_attempt_duration_seconds';
  const labels = { ...DEPENDENCY, outcome: 'rejected' };
  return {
    total: await scrapeMetric(billingUrl, `${histogram}_count`, labels),
    under5ms: await scrapeMetric(billingUrl, `${histogram}_bucket`, { ...labels, le: '0.005' }),
  };
}

/** Billing's breaker for the provider, as Prometheus sees it: 0 closed, 1 half-open, 2 open. */
function breakerState(billingUrl: string): Promise<number> {
  return scrapeMetric(billingUrl, 'faultline_dependency_breaker_state', DEPENDENCY);
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
