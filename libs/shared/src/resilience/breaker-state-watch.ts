import { CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import type { BreakerStateName, DependencyMetrics } from './dependency-metrics.js';

/**
 * Follows one dependency's circuit breaker: every transition goes to the metrics and the log (with
 * the failure that opened it), and the moment it opened tells callers when to try again.
 */
export class BreakerStateWatch {
  private current: BreakerStateName;
  /** On the clock's monotonic scale: the time to the half-open probe is a duration. */
  private openedAtMs = 0;

  constructor(
    private readonly dependency: string,
    private readonly breaker: CircuitBreakerPolicy,
    private readonly options: { halfOpenAfterMs: number; metrics: DependencyMetrics; logger: Logger; clock: Clock },
  ) {
    this.current = stateName(breaker.state);
    breaker.onStateChange((state) => this.transitioned(stateName(state)));
  }

  get state(): BreakerStateName {
    return stateName(this.breaker.state);
  }

  /** Until the half-open probe when the breaker is open; one second otherwise. */
  retryAfterSeconds(): number {
    if (this.state !== 'open') return 1;
    const remainingMs = this.openedAtMs + this.options.halfOpenAfterMs - this.options.clock.monotonicMs();
    return Math.max(1, Math.ceil(remainingMs / 1_000));
  }

  private transitioned(to: BreakerStateName): void {
    const { metrics, logger, halfOpenAfterMs, clock } = this.options;
    const from = this.current;
    if (from === to) return;
    this.current = to;
    if (to === 'open' || to === 'isolated') this.openedAtMs = clock.monotonicMs();
    metrics.transitioned(from, to);
    const { lastFailure } = this.breaker;
    const reason = lastFailure && 'error' in lastFailure ? describe(lastFailure.error) : undefined;
    const fields = { dependency: this.dependency, from, to, ...(to === 'open' && { reason, halfOpenAfterMs }) };
    if (to === 'closed') logger.info(fields, `circuit breaker for ${this.dependency}: ${from} → ${to}`);
    else logger.warn(fields, `circuit breaker for ${this.dependency}: ${from} → ${to}`);
  }
}

function stateName(state: CircuitState): BreakerStateName {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
