import { z } from 'zod';
import {
  ConfigurationError,
  WORKSHOP_MODE_VARIABLE,
  readFaultlineEnvironment,
  requireWorkshopMode,
  type ServiceIdentity,
} from '../config/index.js';

/**
 * `ordered` (the default) is the pattern: one relay publishes at a time, keyed by aggregate id.
 * `naive` is article 4's pitfall switch, for the workshop only: see NaiveOutboxRelay in naive-publishing.ts.
 */
export type OutboxPublishing = 'ordered' | 'naive';

/**
 * What the relay does with a row once Kafka acknowledged it. `marked` sets `published_at` and keeps
 * the row (a record of what went out, for whoever reads it). `deleted` removes it: the unpublished
 * set, which is all the relay, the backlog metrics and the invariant checks read, stays the same,
 * and a DELETE writes no new row version, where the UPDATE of `published_at` writes one into the
 * table and every index (the partial index's predicate names the column, so it is never a HOT
 * update): the relay's biggest remaining cost per row (ADR 0012). Crash safety is the same: a
 * crash before the DELETE commits resends the batch, as a crash before the mark does.
 */
export type OutboxPublishedRows = 'marked' | 'deleted';

export interface OutboxOptions {
  /** Stamped as `producer` on every envelope; its name also keys the relay's leader lock. */
  producer: ServiceIdentity;
  /**
   * The outbox table, optionally schema-qualified (`outbox`, `tests.outbox_1a2b`). The service's
   * migration creates it with the columns of OutboxMessage; tests give each run a private one.
   */
  table?: string;
  /**
   * How often the leader looks for rows when no NOTIFY woke it. NOTIFY does the real work (an event
   * goes out within milliseconds of its commit); polling only catches rows written without a
   * notification (a manual INSERT, a writer that bypassed `Outbox.append`). 1 s bounds that case's
   * extra latency at the cost of one indexed query a second.
   */
  pollIntervalMs?: number;
  /**
   * Rows taken per pass; the relay goes straight on while it keeps finding full batches. 100 events
   * of ~1 kB make one ~100 kB produce request: enough to amortise Kafka's acknowledgement round trip
   * (a few thousand events/s here), and a short redelivery when a crash hits between send and mark.
   */
  batchSize?: number;
  /**
   * How often a standby retries the leader lock. With the check below, PostgreSQL frees a dead
   * leader's lock within about a second, so failover takes about 1 s + this.
   */
  leaderRetryMs?: number;
  publishing?: OutboxPublishing;
  publishedRows?: OutboxPublishedRows;
}

/** Options after validation, every default filled in. */
export type ResolvedOutboxOptions = Required<OutboxOptions>;

export const OUTBOX_DEFAULTS = {
  table: 'outbox',
  pollIntervalMs: 1_000,
  batchSize: 100,
  leaderRetryMs: 1_000,
  publishing: 'ordered',
  publishedRows: 'marked',
} as const satisfies Omit<ResolvedOutboxOptions, 'producer'>;

// Re-exported where it was first declared, for existing imports.
export { WORKSHOP_MODE_VARIABLE };

/**
 * The outbox's switch as a service reads it from its environment (e.g. ORDERS_OUTBOX_PUBLISHING),
 * validated next to the mechanism; `ordered` when unset.
 */
export const outboxPublishing = () => z.enum(['ordered', 'naive']).default(OUTBOX_DEFAULTS.publishing);

// Lower-case identifiers only, so the name can be spliced into SQL safely once quoted.
const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

const outboxOptionsSchema = z.object({
  producer: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  table: z
    .string()
    // PostgreSQL names are at most 63 bytes, and the NOTIFY channel is `<table>_appended`.
    .max(54, 'must be at most 54 characters, so its NOTIFY channel "<table>_appended" fits in 63')
    .refine((name) => {
      const parts = name.split('.');
      return parts.length <= 2 && parts.every((part) => identifier.test(part));
    }, 'must be a lower-case SQL identifier, optionally schema-qualified (e.g. "outbox" or "tests.outbox_1")')
    .default(OUTBOX_DEFAULTS.table),
  pollIntervalMs: z.int().min(10).max(300_000).default(OUTBOX_DEFAULTS.pollIntervalMs),
  batchSize: z.int().min(1).max(10_000).default(OUTBOX_DEFAULTS.batchSize),
  leaderRetryMs: z.int().min(10).max(60_000).default(OUTBOX_DEFAULTS.leaderRetryMs),
  publishing: outboxPublishing(),
  publishedRows: z.enum(['marked', 'deleted']).default(OUTBOX_DEFAULTS.publishedRows),
});

/**
 * Validates the outbox options at start-up and fills the defaults. Naive publishing reorders events
 * (article 4), so it is refused unless the process runs in workshop mode: a clone deployed as a
 * template cannot be switched into the failure by a stray option.
 */
export function resolveOutboxOptions(
  options: OutboxOptions,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): ResolvedOutboxOptions {
  const service = options.producer?.name || 'outbox';
  const result = outboxOptionsSchema.safeParse(options);
  if (!result.success) {
    throw new ConfigurationError(
      service,
      result.error.issues.map((issue) => `outbox option ${issue.path.join('.')}: ${issue.message}`),
    );
  }
  if (result.data.publishing === 'naive') {
    requireWorkshopMode(
      service,
      {
        option: 'outbox option publishing: "naive"',
        failure: "article 4's reordering",
        fix: 'remove the option to publish in order',
      },
      env,
    );
  }
  return result.data;
}

export const OUTBOX_OPTIONS = Symbol.for('faultline.OutboxOptions');
