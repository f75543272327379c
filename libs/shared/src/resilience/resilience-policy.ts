import { z } from 'zod';
import { readFaultlineEnvironment, requireWorkshopMode } from '../config/index.js';

/**
 * How one downstream dependency is called (article 1). Every number lives here, explained once; a
 * service may shorten some of them from its environment (the workshop shortens the half-open delay).
 */
export interface ResiliencePolicy {
  /** Inside the breaker: a call that outlives it is aborted and counted as a failure. */
  timeoutMs: number;
  breaker: {
    /** The sliding window over which the failure ratio is measured. */
    samplingDurationMs: number;
    /** Calls that must have completed inside the window before the ratio may open the breaker. */
    minimumCalls: number;
    /** The breaker opens when failures / calls in the window reach this (0 < ratio ≤ 1). */
    failureRatio: number;
    /** How long it stays open before ONE probe call is let through. */
    halfOpenAfterMs: number;
  };
  /** Outside the breaker, with decorrelated jitter; `maxAttempts` counts the first call. */
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
}

export const DEFAULT_RESILIENCE_POLICY: ResiliencePolicy = {
  // A payment authorization answers in a few hundred ms at p99; 2 s is several times that, and
  // short enough that three attempts still fit inside a caller's usual 10 s budget.
  timeoutMs: 2_000,
  breaker: {
    // 10 s is long enough to see a pattern, short enough that an outage is noticed within one
    // window; 5 calls keeps a quiet moment (two unlucky calls) from opening it; half of the calls
    // failing is an outage, not noise.
    samplingDurationMs: 10_000,
    minimumCalls: 5,
    failureRatio: 0.5,
    // Long enough for a provider to shed its backlog before it is probed again.
    halfOpenAfterMs: 15_000,
  },
  // Three attempts in all: a blip is absorbed, an outage is not multiplied by more than 3. The
  // first retry waits about 100 ms, none waits more than 1 s (AWS Builders' Library, "Timeouts,
  // retries and backoff with jitter").
  retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 },
};

/**
 * `correct` (the default) is the pipeline above. `naive` is article 1's pitfall switch, workshop
 * only: one process-wide breaker with a library-default volume, no timeout of its own, timeouts
 * not counted — under demo load it never opens.
 */
export type BreakerMode = 'correct' | 'naive';

/** A service's `<SERVICE>_<DEPENDENCY>_BREAKER` variable, validated next to the mechanism. */
export const breakerMode = () => z.enum(['correct', 'naive']).default('correct');

/** Refuses the naive breaker unless the service runs in workshop mode (DESIGN §6). */
export function requireAllowedBreakerMode(
  service: string,
  mode: BreakerMode,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): BreakerMode {
  if (mode === 'naive') {
    requireWorkshopMode(
      service,
      {
        option: 'breaker: "naive"',
        failure: "article 1's circuit breaker that never opens (callers wait on a hanging dependency)",
        fix: 'leave the option unset to use the per-dependency breaker with its timeout inside',
      },
      env,
    );
  }
  return mode;
}

/** Throws a RangeError naming the first number that makes no sense, so a typo fails at start-up. */
export function assertValidPolicy(dependency: string, policy: ResiliencePolicy): ResiliencePolicy {
  const { timeoutMs, breaker, retry } = policy;
  const problems = [
    !(timeoutMs > 0) && `timeoutMs must be > 0, got ${timeoutMs}`,
    !(breaker.samplingDurationMs >= 1_000) && `breaker.samplingDurationMs must be ≥ 1000, got ${breaker.samplingDurationMs}`,
    !(Number.isInteger(breaker.minimumCalls) && breaker.minimumCalls >= 1) &&
      `breaker.minimumCalls must be an integer ≥ 1, got ${breaker.minimumCalls}`,
    !(breaker.failureRatio > 0 && breaker.failureRatio <= 1) && `breaker.failureRatio must be in (0, 1], got ${breaker.failureRatio}`,
    !(breaker.halfOpenAfterMs > 0) && `breaker.halfOpenAfterMs must be > 0, got ${breaker.halfOpenAfterMs}`,
    !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1) && `retry.maxAttempts must be an integer ≥ 1, got ${retry.maxAttempts}`,
    !(retry.initialDelayMs >= 0 && retry.maxDelayMs >= retry.initialDelayMs) &&
      `retry delays must satisfy 0 ≤ initialDelayMs ≤ maxDelayMs, got ${retry.initialDelayMs} and ${retry.maxDelayMs}`,
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new RangeError(`resilience policy for ${dependency}: ${problems.join('; ')}`);
  return policy;
}
