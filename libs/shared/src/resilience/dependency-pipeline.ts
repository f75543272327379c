import {
  BrokenCircuitError,
  CircuitState,
  ExponentialBackoff,
  SamplingBreaker,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type IDisposable,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import { BreakerStateWatch } from './breaker-state-watch.js';
import { DependencyClientError, DependencyTimeoutError, DependencyUnavailableError } from './dependency-errors.js';
import type { BreakerStateName, CallOutcome, DependencyMetrics } from './dependency-metrics.js';
import type { ResiliencePolicy } from './resilience-policy.js';
import { samplingBreakerOptions } from './sampling-breaker-options.js';

/** What a DependencyPipeline is made of; createDependencyPipeline builds them. */
export interface DependencyPipelineParts {
  breaker: CircuitBreakerPolicy;
  retry: RetryPolicy;
  /** Without one, the call waits as long as the dependency (or the HTTP stack) lets it. */
  timeout?: { policy: TimeoutPolicy; ms: number };
  countsAsFailure: (error: unknown) => boolean;
  halfOpenAfterMs: number;
  metrics: DependencyMetrics;
  logger: Logger;
  clock: Clock;
}

/** The policies that differ between one way of calling a dependency and another. */
export type CallPolicies = Pick<DependencyPipelineParts, 'breaker' | 'retry' | 'timeout' | 'countsAsFailure'>;

/**
 * Article 1's pattern for one downstream dependency, built from cockatiel's policies:
 *
 *   retry (jittered, never "breaker open", never a 4xx)
 *     → circuit breaker (sampling window, minimum volume, failure ratio, one half-open probe)
 *       → timeout (cooperative: the call's AbortSignal fires, and the timeout is a FAILURE)
 *         → the call
 *
 * The timeout sits inside the breaker so that a hanging dependency opens it; the retries sit
 * outside so that they go through the breaker like any caller and stop as soon as it opens.
 * Create ONE per dependency and share it with every caller in the process: a breaker per request
 * never sees enough calls to open.
 */
export class DependencyPipeline {
  private readonly breakerState: BreakerStateWatch;

  constructor(
    readonly dependency: string,
    private readonly parts: DependencyPipelineParts,
  ) {
    this.breakerState = new BreakerStateWatch(dependency, parts.breaker, parts);
  }

  get state(): BreakerStateName {
    return this.breakerState.state;
  }

  /**
   * Runs `call` through the pipeline. `call` must pass the signal on (to fetch) so that a timeout
   * really stops it. Throws DependencyUnavailableError (open breaker, or every attempt failed),
   * DependencyTimeoutError (the last attempt timed out: outcome unknown) or DependencyClientError (4xx).
   */
  async execute<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.parts.retry.execute(() => this.attempt(call));
    } catch (error) {
      throw this.finalError(error);
    }
  }

  /** Holds the breaker open by hand (an operator taking a dependency out) until disposed. */
  isolate(): IDisposable {
    return this.parts.breaker.isolate();
  }

  private async attempt<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { clock } = this.parts;
    const started = clock.monotonicMs();
    // cockatiel queues every call that arrives during the half-open probe behind it; a recovering
    // dependency should see exactly one probe and the other callers should not wait on it, so they
    // fail fast here as if the breaker were still open (article 1).
    if (this.parts.breaker.state === CircuitState.HalfOpen) {
      this.parts.metrics.attempted('rejected', clock.monotonicMs() - started);
      throw new BrokenCircuitError(`${this.dependency}'s circuit breaker is half-open: one probe call is in flight`);
    }
    try {
      const result = await this.parts.breaker.execute(({ signal }) => this.timed(call, signal));
      this.parts.metrics.attempted('success', clock.monotonicMs() - started);
      return result;
    } catch (error) {
      this.parts.metrics.attempted(this.outcomeOf(error), clock.monotonicMs() - started);
      throw error;
    }
  }

  private timed<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    const { timeout: limit } = this.parts;
    if (!limit) return call(signal);
    return limit.policy.execute(async ({ signal: timed }) => {
      try {
        return await call(timed);
      } catch (error) {
        // The call failed because the timeout aborted it: say so, so the breaker counts a timeout
        // and the caller knows the outcome is unknown (article 6), rather than "AbortError".
        if (timed.aborted && !(error instanceof DependencyClientError)) {
          throw new DependencyTimeoutError(this.dependency, limit.ms, { cause: error });
        }
        throw error;
      }
    }, signal);
  }

  private outcomeOf(error: unknown): CallOutcome {
    if (error instanceof BrokenCircuitError) return 'rejected';
    if (error instanceof DependencyTimeoutError) return 'timeout';
    return this.parts.countsAsFailure(error) ? 'failure' : 'not-counted';
  }

  private finalError(error: unknown): unknown {
    if (error instanceof BrokenCircuitError) {
      const retryAfterSeconds = this.breakerState.retryAfterSeconds();
      const why = this.state === 'isolated' ? 'is held open by an operator' : `is ${this.state} after repeated failures`;
      return new DependencyUnavailableError(this.dependency, retryAfterSeconds, {
        cause: error,
        detail: `${this.dependency}'s circuit breaker ${why}: calls fail fast without reaching it. Try again in ${retryAfterSeconds} s.`,
      });
    }
    if (error instanceof DependencyTimeoutError || error instanceof DependencyClientError) return error;
    if (this.parts.countsAsFailure(error)) {
      return new DependencyUnavailableError(this.dependency, this.breakerState.retryAfterSeconds(), { cause: error });
    }
    return error;
  }
}

/**
 * The policies of the pattern (see DependencyPipeline for their order): a breaker of its own per
 * dependency over a sampling window, a timeout inside it, and a timeout counted as a failure.
 */
export function perDependencyPolicies(policy: ResiliencePolicy, isFailure: (error: unknown) => boolean): CallPolicies {
  const countsAsFailure = (error: unknown) => error instanceof DependencyTimeoutError || isFailure(error);
  return {
    breaker: circuitBreaker(handleWhen(countsAsFailure), {
      halfOpenAfter: policy.breaker.halfOpenAfterMs,
      breaker: new SamplingBreaker(samplingBreakerOptions(policy.breaker)),
    }),
    retry: retryPolicy(policy, countsAsFailure),
    timeout: { policy: timeout(policy.timeoutMs, TimeoutStrategy.Cooperative), ms: policy.timeoutMs },
    countsAsFailure,
  };
}

/**
 * Retries sit outside the breaker and retry only what the breaker counts as a failure: never a 4xx
 * (the answer will not change) and never "breaker open" (retrying it is the overload the breaker
 * exists to stop). cockatiel's `maxAttempts` counts retries, ours counts attempts: hence the − 1.
 * ExponentialBackoff uses decorrelated jitter by default, so callers that failed together do not
 * retry together.
 */
export function retryPolicy(policy: ResiliencePolicy, countsAsFailure: (error: unknown) => boolean): RetryPolicy {
  return retry(
    handleWhen((error) => !(error instanceof BrokenCircuitError) && countsAsFailure(error)),
    {
      maxAttempts: policy.retry.maxAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: policy.retry.initialDelayMs, maxDelay: policy.retry.maxDelayMs }),
    },
  );
}
