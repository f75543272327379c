import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { ServiceMetrics } from '@faultline/shared/observability';

interface LagRow {
  projection: string;
  events: number;
  oldest: Date | null;
}

/**
 * How far each projection trails the event store (article 5), read from the database at scrape time
 * so every instance reports it, whichever one projects:
 * - `projection_lag_events`: events committed but not yet projected;
 * - `projection_lag_seconds`: age of the oldest of them, 0 when the projection is caught up.
 */
export class ProjectionLagMetrics {
  private sampling?: Promise<LagRow[] | undefined>;

  constructor(metrics: ServiceMetrics, dataSource: DataSource, now: () => Date) {
    const registers = [metrics.registry];
    // Both gauges come from one query, shared by the two collects of a scrape.
    const sample = () => {
      this.sampling ??= (
        dataSource.query(
          `SELECT c.projection, count(e.position)::int AS events, min(e.occurred_at) AS oldest
             FROM projection_checkpoints c LEFT JOIN events e ON (e.commit_order, e.position) > (c.commit_order, c.position)
            GROUP BY c.projection`,
        ) as Promise<LagRow[]>
      )
        // Unreachable database: the scrape still answers, with the gauges' last values.
        .catch(() => undefined)
        .finally(() => (this.sampling = undefined));
      return this.sampling;
    };
    new Gauge({
      name: 'projection_lag_events',
      help: 'Events in the event store that the projection has not applied yet',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const row of (await sample()) ?? []) this.set({ projection: row.projection }, row.events);
      },
    });
    new Gauge({
      name: 'projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet; 0 when it is caught up',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const row of (await sample()) ?? []) {
          const ageMs = row.oldest ? Math.max(0, now().getTime() - new Date(row.oldest).getTime()) : 0;
          this.set({ projection: row.projection }, ageMs / 1_000);
        }
      },
    });
  }
}
