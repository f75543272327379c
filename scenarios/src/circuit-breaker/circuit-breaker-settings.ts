import { DEFAULT_RESILIENCE_POLICY } from '@faultline/shared/resilience';

/** The circuit-breaker scenario's pacing: how long the provider hangs, how many callers come, how long they wait. */

/**
 * The half-open delay the scenario gives billing (BILLING_PROVIDER_BREAKER_HALF_OPEN_MS) instead of
 * the default 15 s, so the room does not wait.
 */
export const HALF_OPEN_MS = 4_000;
/** The provider's latency while it "hangs": well past billing's 2 s timeout. */
export const HANG_MS = 5_000;
/** Calls made while the breaker is open (at most: see the margin below), and how many go at once. */
export const FAST_FAILURE_CALLS = 100;
export const FAST_FAILURE_CONCURRENCY = 10;
/**
 * The fast-failure step starts no call later than this before the half-open delay can end: a call
 * started later could reach the breaker after it and become its probe. A machine too busy for 100
 * calls in the time makes fewer, and says so; none of those it makes may reach the provider.
 */
export const FAST_FAILURE_START_MARGIN_MS = 1_000;
/**
 * The provider's latency once it is healthy again but slow: under billing's 2 s timeout, and long
 * enough that the probe wave's other callers, each first claiming its key in billing's database,
 * reach the breaker while the probe is still out, even on a busy machine.
 */
export const SLOW_BUT_HEALTHY_MS = 1_000;
/** Concurrent calls while the half-open probe is in flight: all but one must fail fast. */
export const PROBE_WAVE = 10;
/** Declined cards (402) in a row: a healthy provider saying no must not open the breaker. */
export const DECLINES = 20;
/** How long a caller waits before giving up (the saga's activity would time out about here). */
export const CALLER_PATIENCE_MS = 10_000;

export const MINIMUM_CALLS = DEFAULT_RESILIENCE_POLICY.breaker.minimumCalls;
