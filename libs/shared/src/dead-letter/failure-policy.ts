/**
 * How a consumer treats a record whose processing failed with a transient error (article 3): a few
 * quick attempts in process, then retry topics with growing delays, then the dead-letter topic.
 * Non-retryable failures (see classifyFailure) skip straight to the dead-letter topic.
 */
export interface FailurePolicy {
  /**
   * Attempts in process before the record leaves the partition for a retry topic. Three attempts
   * within about a second ride out a dropped connection or a failover's first seconds; longer
   * waits belong in a retry topic, where they do not hold up the partition.
   */
  inProcessAttempts: number;
  /** The first in-process backoff; each next one doubles, capped at backoffMaxMs, then full jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * One retry topic per entry, waited through in order: 10 s (a restart), 1 min (a failover),
   * 10 min (an outage someone is fixing). A record still failing after the last goes to the
   * dead-letter topic, marked retryable, and is redriven once the dependency is healthy again.
   */
  retryDelaysMs: readonly number[];
}

export const DEFAULT_FAILURE_POLICY: FailurePolicy = Object.freeze({
  inProcessAttempts: 3,
  backoffBaseMs: 200,
  backoffMaxMs: 2_000,
  retryDelaysMs: Object.freeze([10_000, 60_000, 600_000]),
});

/**
 * The wait before in-process attempt `attempt + 1` (attempt counts from 1): exponential with "full
 * jitter", so consumers that failed together on one outage do not all retry in the same instant.
 */
export function backoffDelayMs(policy: FailurePolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffBaseMs * 2 ** (attempt - 1), policy.backoffMaxMs);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Refuses a policy that would retry forever or not at all, naming the field. */
export function validFailurePolicy(consumer: string, policy: FailurePolicy): FailurePolicy {
  const problems: string[] = [];
  if (!Number.isInteger(policy.inProcessAttempts) || policy.inProcessAttempts < 1) problems.push('inProcessAttempts must be an integer >= 1');
  if (!(policy.backoffBaseMs >= 0 && policy.backoffMaxMs >= policy.backoffBaseMs)) problems.push('need 0 <= backoffBaseMs <= backoffMaxMs');
  if (policy.retryDelaysMs.some((delay) => !(delay > 0))) problems.push('every retryDelaysMs entry must be > 0');
  if (problems.length > 0) throw new Error(`consumer ${consumer}: invalid failure policy: ${problems.join('; ')}`);
  return policy;
}
