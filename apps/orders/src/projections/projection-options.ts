import { z } from 'zod';
import { requireWorkshopMode } from '@faultline/shared/config';

/**
 * `consistent` (the default) honours consistency tokens; `naive` is article 5's pitfall switch, for
 * the workshop only: reads ignore the token and answer from the projection as it is (naive-reads.ts).
 */
export type OrderReads = 'consistent' | 'naive';

export interface ProjectionOptions {
  /**
   * Workshop only (article 5): the projector leaves an event alone until it is this old, so the
   * read models lag the event store by a known amount. 0 in production.
   */
  delayMs: number;
  /**
   * How long a read whose token is ahead of the projection waits for it before answering from the
   * event stream (detail) or saying `pending` (list). 500 ms: the projector normally trails a write
   * by one poll (≤ 100 ms), so a waiting read is answered from the projection well within it, and a
   * caller is never held much longer than a slow page load when the projection is truly behind.
   */
  readWaitMs: number;
  reads: OrderReads;
  /**
   * How often the projector looks for new events when the last pass found none: one indexed query
   * per projection every 100 ms bounds the normal lag to about that, at a negligible cost.
   */
  pollIntervalMs: number;
  /** Events per projection transaction; the projector goes straight on while batches are full. */
  batchSize: number;
}

export const PROJECTION_DEFAULTS = { delayMs: 0, readWaitMs: 500, reads: 'consistent', pollIntervalMs: 100, batchSize: 500 } as const;

/** ORDERS_PROJECTION_DELAY_MS, as the service reads it; at most a minute, which no workshop needs more of. */
export const projectionDelayMs = () => z.coerce.number().int().min(0).max(60_000).default(PROJECTION_DEFAULTS.delayMs);
/** ORDERS_CONSISTENT_READ_WAIT_MS: 0 answers from the source of truth at once; 10 s is past any HTTP client's patience. */
export const consistentReadWaitMs = () => z.coerce.number().int().min(0).max(10_000).default(PROJECTION_DEFAULTS.readWaitMs);
/** ORDERS_READS. */
export const orderReads = () => z.enum(['consistent', 'naive']).default(PROJECTION_DEFAULTS.reads);

export const PROJECTION_OPTIONS = Symbol.for('faultline.orders.ProjectionOptions');

/**
 * Checks the two workshop switches: a delayed projection and naive reads reproduce article 5's
 * stale reads, so both are refused unless the process runs in workshop mode.
 */
export function resolveProjectionOptions(
  service: string,
  options: Pick<ProjectionOptions, 'delayMs' | 'readWaitMs' | 'reads'>,
  env: Record<string, string | undefined>,
): ProjectionOptions {
  if (options.delayMs > 0) {
    requireWorkshopMode(
      service,
      { option: `ORDERS_PROJECTION_DELAY_MS=${options.delayMs}`, failure: "article 5's lagging read model", fix: 'unset it (0) to project at once' },
      env,
    );
  }
  if (options.reads === 'naive') {
    requireWorkshopMode(
      service,
      { option: 'ORDERS_READS=naive', failure: "article 5's stale reads", fix: 'unset it to honour consistency tokens' },
      env,
    );
  }
  return { ...PROJECTION_DEFAULTS, ...options };
}
