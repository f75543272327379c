import { Counter, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@faultline/shared/observability';

/** How a read that carried a consistency token ended its wait for the projection. */
export type TokenWaitOutcome = 'caught-up' | 'gave-up';

/**
 * Reads that waited for a projection to reach their consistency token (article 5):
 * - `consistency_token_waits_total{projection,outcome}`: `caught-up` (answered from the projection,
 *   current) or `gave-up` (still behind after ORDERS_CONSISTENT_READ_WAIT_MS: answered from the
 *   source of truth, or "pending");
 * - `consistency_token_wait_seconds{projection}`: how long each waited.
 * A read without a token does not wait and is not counted.
 */
export class ConsistencyWaitMetrics {
  private readonly waits: Counter<'projection' | 'outcome'>;
  private readonly durations: Histogram<'projection'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.waits = new Counter({
      name: 'consistency_token_waits_total',
      help: 'Reads that waited for a projection to reach their consistency token, by how the wait ended',
      labelNames: ['projection', 'outcome'],
      registers,
    });
    this.durations = new Histogram({
      name: 'consistency_token_wait_seconds',
      help: 'How long a read waited for a projection to reach its consistency token',
      labelNames: ['projection'],
      buckets: [0.001, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }

  waited(projection: string, outcome: TokenWaitOutcome, ms: number): void {
    this.waits.inc({ projection, outcome });
    this.durations.observe({ projection }, ms / 1_000);
  }
}
