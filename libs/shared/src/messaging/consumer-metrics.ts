import { Counter, Gauge, type Registry } from 'prom-client';

export type ConsumerOutcome = 'applied' | 'duplicate' | 'held' | 'dead_lettered';

/**
 * The consuming side's metrics (articles 3 and 4), in the service's registry. Several consumers in
 * one process share each metric and tell themselves apart by the `consumer` label.
 */
export class ConsumerMetrics {
  readonly events: Counter<'consumer' | 'type' | 'outcome'>;
  /** Events waiting for a gap to fill: 1 → 0 is the proof that a held event was applied. */
  readonly heldEvents: Gauge<'consumer'>;
  /** The alert metric: a gap that did not fill within the bound, so its held events were dead-lettered. */
  readonly gapsDeadLettered: Counter<'consumer'>;
  readonly deadLettersPublished: Counter<'consumer' | 'reason'>;

  constructor(registry: Registry) {
    this.events = reuse(registry, 'consumer_events_total', (registers) => new Counter({
      name: 'consumer_events_total',
      help: 'Events read by a consumer, by what the pipeline did with them',
      labelNames: ['consumer', 'type', 'outcome'],
      registers,
    }));
    this.heldEvents = reuse(registry, 'ordering_guard_held_events', (registers) => new Gauge({
      name: 'ordering_guard_held_events',
      help: 'Events that arrived before their predecessor and wait for the gap to fill',
      labelNames: ['consumer'],
      registers,
    }));
    this.gapsDeadLettered = reuse(registry, 'ordering_guard_gap_dead_lettered_total', (registers) => new Counter({
      name: 'ordering_guard_gap_dead_lettered_total',
      help: 'Held events dead-lettered because the gap before them did not fill within the bound',
      labelNames: ['consumer'],
      registers,
    }));
    this.deadLettersPublished = reuse(registry, 'dead_letter_published_total', (registers) => new Counter({
      name: 'dead_letter_published_total',
      help: 'Records written to a dead-letter topic, by reason',
      labelNames: ['consumer', 'reason'],
      registers,
    }));
  }
}

function reuse<M>(registry: Registry, name: string, create: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
