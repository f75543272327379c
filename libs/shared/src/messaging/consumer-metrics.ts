import { Counter, Gauge, type Registry } from 'prom-client';

export type ConsumerOutcome = 'applied' | 'duplicate' | 'held' | 'dead_lettered' | 'retry_scheduled';

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
  /** Every failed attempt that will be attempted again, in process or through a retry topic (article 3). */
  readonly retries: Counter<'consumer' | 'topic' | 'stage'>;
  /** How long the oldest record still being retried has been failing: the "stuck retry" alert metric. */
  readonly retryingRecordAge: Gauge<'consumer' | 'topic'>;
  /** Dead letters nobody has redriven or archived yet, per dead-letter topic: the depth alert metric. */
  readonly deadLetterDepth: Gauge<'consumer' | 'topic'>;
  /** Age of the oldest of those, from its first failure: the "unattended" alert metric. */
  readonly deadLetterOldestAge: Gauge<'consumer' | 'topic'>;
  /** Records of a source topic the consumer has not committed yet (summed over partitions). */
  readonly lag: Gauge<'consumer' | 'topic'>;
  readonly redriven: Counter<'consumer' | 'trigger'>;

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
    this.retries = reuse(registry, 'consumer_retries_total', (registers) => new Counter({
      name: 'consumer_retries_total',
      help: 'Failed attempts that will be retried: stage in-process, or retry-topic when the record moved to a retry topic',
      labelNames: ['consumer', 'topic', 'stage'],
      registers,
    }));
    this.retryingRecordAge = reuse(registry, 'consumer_retrying_record_age_seconds', (registers) => new Gauge({
      name: 'consumer_retrying_record_age_seconds',
      help: 'Seconds since the first failure of the oldest record of the topic still being retried (0: none)',
      labelNames: ['consumer', 'topic'],
      registers,
    }));
    this.deadLetterDepth = reuse(registry, 'dead_letter_depth', (registers) => new Gauge({
      name: 'dead_letter_depth',
      help: 'Dead letters in the topic neither redriven nor archived yet',
      labelNames: ['consumer', 'topic'],
      registers,
    }));
    this.deadLetterOldestAge = reuse(registry, 'dead_letter_oldest_age_seconds', (registers) => new Gauge({
      name: 'dead_letter_oldest_age_seconds',
      help: 'Seconds since the first failure of the oldest dead letter still waiting (0: none)',
      labelNames: ['consumer', 'topic'],
      registers,
    }));
    this.lag = reuse(registry, 'consumer_lag_records', (registers) => new Gauge({
      name: 'consumer_lag_records',
      help: 'Records of the topic after the consumer group committed offset, summed over partitions',
      labelNames: ['consumer', 'topic'],
      registers,
    }));
    this.redriven = reuse(registry, 'dead_letter_redriven_total', (registers) => new Counter({
      name: 'dead_letter_redriven_total',
      help: 'Dead letters sent back to their consumer, by trigger (automatic once healthy, or the dlq command)',
      labelNames: ['consumer', 'trigger'],
      registers,
    }));
  }
}

function reuse<M>(registry: Registry, name: string, create: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
