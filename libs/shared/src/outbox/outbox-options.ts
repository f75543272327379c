import type { ServiceIdentity } from '../config/index.js';

export interface OutboxOptions {
  /** Stamped as `producer` on every envelope. */
  producer: ServiceIdentity;
  /**
   * How long the relay sleeps when it found nothing to publish: the worst-case extra latency of an
   * event. 200 ms costs five small indexed queries a second; a later issue replaces most of the
   * polling with LISTEN/NOTIFY.
   */
  pollIntervalMs?: number;
  /** Rows taken per query; the relay goes straight on while it keeps finding full batches. */
  batchSize?: number;
}

export const OUTBOX_DEFAULTS = { pollIntervalMs: 200, batchSize: 100 } as const;

/** After a failure the relay backs off exponentially, up to this, instead of hammering Kafka. */
export const MAX_BACKOFF_MS = 5_000;

export const OUTBOX_OPTIONS = Symbol.for('faultline.OutboxOptions');
