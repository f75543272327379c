import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '../observability/index.js';

/** What the backlog gauges read at scrape time. */
export interface BacklogSample {
  rows: number;
  oldest: Date | null;
}

/**
 * The relay's Prometheus metrics, on the service's registry, labelled with the outbox table:
 * - `outbox_backlog` and `outbox_oldest_unpublished_age_seconds`, read from the database when
 *   scraped, so a standby reports them too and a stuck leader shows as a growing age;
 * - `outbox_published_total` (its `rate()` is the throughput);
 * - `outbox_relay_leader`: 1 on the instance that publishes, 0 on standbys.
 */
export class OutboxRelayMetrics {
  private readonly published: Counter<'table'>;
  private readonly leader: Gauge<'table'>;
  private sampling?: Promise<BacklogSample | undefined>;

  constructor(
    metrics: ServiceMetrics,
    private readonly table: string,
    sampleBacklog: () => Promise<BacklogSample>,
    now: () => Date,
  ) {
    const registers = [metrics.registry];
    // Both backlog gauges come from one query, shared by the two collects of a scrape.
    const sample = () => {
      this.sampling ??= sampleBacklog()
        // Unreachable database: the scrape still answers, with the gauges' last values.
        .catch(() => undefined)
        .finally(() => (this.sampling = undefined));
      return this.sampling;
    };
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows not yet published',
      labelNames: ['table'],
      registers,
      async collect() {
        const backlog = await sample();
        if (backlog) this.set({ table }, backlog.rows);
      },
    });
    new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest outbox row not yet published; 0 when none is waiting',
      labelNames: ['table'],
      registers,
      async collect() {
        const backlog = await sample();
        if (!backlog) return;
        const ageMs = backlog.oldest ? Math.max(0, now().getTime() - backlog.oldest.getTime()) : 0;
        this.set({ table }, ageMs / 1_000);
      },
    });
    this.published = new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows sent to Kafka and marked published (a redelivery after a crash counts again)',
      labelNames: ['table'],
      registers,
    });
    this.leader = new Gauge({
      name: 'outbox_relay_leader',
      help: '1 while this instance holds the relay lock and publishes, 0 while it stands by',
      labelNames: ['table'],
      registers,
    });
    this.published.inc({ table }, 0);
    this.leader.set({ table }, 0);
  }

  countPublished(rows: number): void {
    this.published.inc({ table: this.table }, rows);
  }

  setLeader(leader: boolean): void {
    this.leader.set({ table: this.table }, leader ? 1 : 0);
  }
}
