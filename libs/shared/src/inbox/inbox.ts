import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../contracts/index.js';

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
    const rows = (await transaction.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2`, [
      this.consumer,
      eventId,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Records the event as applied. The primary key is the last line of defence: a concurrent
   * delivery that slipped past `contains` makes this insert fail and its transaction roll back.
   */
  async record(transaction: EntityManager, event: EventEnvelope, processedAt: Date): Promise<void> {
    await transaction.query(
      `INSERT INTO inbox (consumer, event_id, event_type, aggregate_type, aggregate_id, sequence, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.consumer, event.eventId, event.type, event.aggregateType, event.aggregateId, event.sequence, processedAt],
    );
  }
}
