import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../contracts/index.js';

/**
 * The inbox's statements, each written once: Inbox runs them on their own, InboxCheckpoint fuses
 * them with the ordering guard's. The placeholders are passed in, so a fused statement numbers its
 * parameters as it needs.
 */
export const inboxStatements = {
  /** True when `consumer` has applied the event `eventId`. */
  holds: (consumer: string, eventId: string) => `EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = ${consumer} AND i.event_id = ${eventId})`,

  /** `values`: consumer, event id, event type, aggregate type, aggregate id, sequence, processed at. */
  record: (values: string) =>
    `INSERT INTO inbox (consumer, event_id, event_type, aggregate_type, aggregate_id, sequence, processed_at)
     VALUES (${values})`,
};

/** $1 consumer, $2 event id. */
const CONTAINS = `SELECT ${inboxStatements.holds('$1', '$2')} AS in_inbox`;
/** $1 consumer, $2 event id, $3 event type, $4 aggregate type, $5 aggregate id, $6 sequence, $7 processed at. */
const RECORD = inboxStatements.record('$1, $2, $3, $4, $5, $6, $7');

/**
 * The idempotent-consumer inbox: the event ids a consumer has applied, written in the same
 * transaction as the handler's effects. Kafka delivers at least once (a crash between the database
 * commit and the offset commit redelivers), so "already in the inbox" must mean "skip", or a
 * redelivered `orders.order.placed` would bill or notify twice (articles 3 and 4).
 *
 * Each consuming service creates the `inbox` table in a migration of its own:
 * `(consumer text, event_id uuid, event_type text, aggregate_type text, aggregate_id text,
 * sequence int, processed_at timestamptz, PRIMARY KEY (consumer, event_id))`. The key includes the
 * consumer because two consumers in one service each apply every event once.
 */
export class Inbox {
  constructor(private readonly consumer: string) {}

  async contains(transaction: EntityManager, eventId: string): Promise<boolean> {
    const rows = (await transaction.query(CONTAINS, [this.consumer, eventId])) as { in_inbox: boolean }[];
    return rows[0]?.in_inbox === true;
  }

  /**
   * Records the event as applied. The primary key is the last line of defence: a concurrent
   * delivery that slipped past `contains` makes this insert fail and its transaction roll back.
   */
  async record(transaction: EntityManager, event: EventEnvelope, processedAt: Date): Promise<void> {
    await transaction.query(RECORD, [
      this.consumer,
      event.eventId,
      event.type,
      event.aggregateType,
      event.aggregateId,
      event.sequence,
      processedAt,
    ]);
  }
}
