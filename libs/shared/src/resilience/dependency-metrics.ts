import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type BreakerStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/**
 * What one attempt through the pipeline came to: `success`; `failure` (counted by the breaker: 5xx,
 * refused connection, corrupt body); `timeout` (counted too); `not-counted` (a 4xx: the dependency
 * is healthy); `rejected` (the breaker failed it fast; the dependency never saw it).
 */
export type CallOutcome = 'success' | 'failure' | 'timeout' | 'not-counted' | 'rejected';

/** Gauge values: the alert rule "breaker open" is `faultline_dependency_breaker_state == 2`. */
const STATE_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 2 };

/**
 * The breaker as Prometheus sees it (article 1: a breaker nobody can see opening is a breaker nobody
 * trusts). Several dependencies in one process share each metric and differ by the `dependency` label.
 */
export class DependencyMetrics {
  private readonly state: Gauge<'dependency'>;
  private readonly transitions: Counter<'dependency' | 'from' | 'to'>;
  private readonly calls: Counter<'dependency' | 'outcome'>;
  private readonly durations: Histogram<'dependency' | 'outcome'>;

  constructor(
    registry: Registry,
    private readonly dependency: string,
  ) {
    this.state = reuse(registry, 'faultline_dependency_breaker_state', (registers) => new Gauge({
      name: 'faultline_dependency_breaker_state',
      help: 'Circuit breaker state per downstream dependency: 0 closed, 1 half-open, 2 open (or isolated)',
      labelNames: ['dependency'],
      registers,
    }));
    this.transitions = reuse(registry, 'faultline_dependency_breaker_transitions_total', (registers) => new Counter({
      name: 'faultline_dependency_breaker_transitions_total',
      help: 'Circuit breaker state changes per downstream dependency',
      labelNames: ['dependency', 'from', 'to'],
      registers,
    }));
    this.calls = reuse(registry, 'faultline_dependency_calls_total', (registers) => new Counter({
      name: 'faultline_dependency_calls_total',
      help: 'Attempts through a dependency pipeline, by outcome (rejected = failed fast by the open breaker)',
      labelNames: ['dependency', 'outcome'],
      registers,
    }));
    this.durations = reuse(registry, 'faultline_dependency_attempt_duration_seconds', (registers) => new Histogram({
      name: 'faultline_dependency_attempt_duration_seconds',
      help: 'Time one attempt took inside the pipeline, by outcome: a rejected one is the cost of failing fast',
      labelNames: ['dependency', 'outcome'],
      // Fine below 5 ms, where a fast failure must land (article 1), coarse up to the timeouts.
      buckets: [0.0005, 0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10],
      registers,
    }));
    this.state.set({ dependency }, 0);
  }

  transitioned(from: BreakerStateName, to: BreakerStateName): void {
    this.state.set({ dependency: this.dependency }, STATE_VALUE[to]);
    this.transitions.inc({ dependency: this.dependency, from, to });
  }

  attempted(outcome: CallOutcome, durationMs: number): void {
    this.calls.inc({ dependency: this.dependency, outcome });
    this.durations.observe({ dependency: this.dependency, outcome }, durationMs / 1_000);
  }
}

function reuse<M>(registry: Registry, name: string, create: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
