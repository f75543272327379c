/**
 * WORKSHOP ONLY — article 1's failure, the circuit breaker that never opens: ONE breaker for the
 * whole process, whatever the dependency, with the library's default volume, no timeout of its own,
 * and timeouts not counted as failures. A hanging dependency then never trips it: each call waits as
 * long as the dependency (or the HTTP stack) lets it, a timeout is not a failure anyway, and
 * cockatiel's SamplingBreaker without `minimumRps` demands 5 failures per second at the threshold,
 * i.e. 100 calls in a 10 s window at 50 %, which a workshop never sends. Callers pile up behind the
 * dependency instead of failing fast. createDependencyPipeline builds these policies instead of
 * perDependencyPolicies when the mode is `naive` (refused outside workshop mode, see
 * requireAllowedBreakerMode).
 */
import { SamplingBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { DependencyClientError, DependencyTimeoutError } from './dependency-errors.js';
import { retryPolicy, type CallPolicies } from './dependency-pipeline.js';
import type { ResiliencePolicy } from './resilience-policy.js';

let processWideBreaker: CircuitBreakerPolicy | undefined;

/** The process-wide breaker and the retries around it; no timeout. */
export function processWidePolicies(policy: ResiliencePolicy, isFailure: (error: unknown) => boolean): CallPolicies {
  const countsAsFailure = (error: unknown) => !isTimeout(error) && isFailure(error);
  processWideBreaker ??= circuitBreaker(handleWhen((error) => !isTimeout(error) && !(error instanceof DependencyClientError)), {
    halfOpenAfter: policy.breaker.halfOpenAfterMs,
    breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000 }),
  });
  return { breaker: processWideBreaker, retry: retryPolicy(policy, countsAsFailure), countsAsFailure };
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof DependencyTimeoutError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}
