import type { BreakerTransition, BreakerView } from '../console-api.js';
import { metricSamples } from '../service-metrics/metric-samples.js';

/** The breaker gauge's values (libs/shared/src/resilience/dependency-metrics.ts): isolated reads as open. */
const STATES: Record<number, BreakerView['state']> = { 0: 'closed', 1: 'half-open', 2: 'open' };
/** The most transitions one counter's jump is listed as: a flapping breaker does not flood the page. */
const LISTED_PER_JUMP = 10;

/** Each dependency's breaker in a service's /metrics text: its state now and its calls by outcome. */
export function breakerViews(service: string, metricsText: string): BreakerView[] {
  const calls = new Map<string, Record<string, number>>();
  for (const { labels, value } of metricSamples(metricsText, 'faultline_dependency_calls_total')) {
    const dependency = labels.dependency ?? '';
    calls.set(dependency, { ...calls.get(dependency), [labels.outcome ?? 'unknown']: value });
  }
  return metricSamples(metricsText, 'faultline_dependency_breaker_state').map(({ labels, value }) => ({
    service,
    dependency: labels.dependency ?? '',
    state: STATES[value] ?? 'open',
    calls: calls.get(labels.dependency ?? '') ?? {},
  }));
}

/**
 * The breakers' recent transitions, learned from each service's transitions counter: a counter that
 * grew since the last look is a transition seen now. A service seen for the first time (the console
 * just started, or the service just came up) only sets the baseline, and one that stops answering is
 * forgotten, so a restarted service counting from 0 again is not mistaken for an old one.
 */
export class BreakerHistory {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly transitions: BreakerTransition[] = [];

  constructor(private readonly kept = 50) {}

  observe(at: Date, service: string, metricsText: string): void {
    const firstLook = !this.counts.has(service);
    const counts = this.counts.get(service) ?? new Map<string, number>();
    this.counts.set(service, counts);
    for (const { labels, value } of metricSamples(metricsText, 'faultline_dependency_breaker_transitions_total')) {
      const { dependency = '', from = '', to = '' } = labels;
      const key = `${dependency}\u0000${from}\u0000${to}`;
      const before = counts.get(key) ?? 0;
      counts.set(key, value);
      if (firstLook) continue;
      const since = value >= before ? value - before : value;
      for (let seen = 0; seen < Math.min(since, LISTED_PER_JUMP); seen++) this.transitions.push({ at: at.toISOString(), service, dependency, from, to });
    }
    this.transitions.splice(0, Math.max(0, this.transitions.length - this.kept));
  }

  forget(service: string): void {
    this.counts.delete(service);
  }

  /** Newest first. */
  recent(): BreakerTransition[] {
    return [...this.transitions].reverse();
  }
}
