import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../contracts/index.js';
import type { SourceRecord } from '../messaging/index.js';
import type { HeldEvent } from './held-event.js';
import { orderingGuardStatements as sql } from './ordering-guard-statements.js';

/** One aggregate's event stream, as one consumer sees it. */
export interface AggregateStream {
  aggregateType: string;
  aggregateId: string;
}

interface HeldEventRow {
  aggregate_type: string;
  aggregate_id: string;
  envelope: EventEnvelope;
  source: SourceRecord;
  held_at: Date;
}

/**
 * The ordering guard's memory, per consumer: the last sequence applied for each aggregate
 * (`ordering_checkpoints`) and the events that arrived early (`held_events`). Every method takes the
 * EntityManager of the consumer's transaction, so the checkpoint moves if and only if the handler's
 * effects commit. Each consuming service creates the tables in a migration of its own.
 *
 * A delivery's claim and settle run fused with the inbox's statements (InboxCheckpoint); the methods
 * here serve the expiry sweep, the early events and the held gauge.
 */
export class OrderingGuard {
  constructor(private readonly consumer: string) {}

  /**
   * The last sequence applied for the stream (0 if none), with its checkpoint row locked until the
   * transaction ends: two deliveries of one aggregate (a rebalance overlap, the expiry sweep) are
   * serialised here instead of both deciding from the same stale value.
   */
  async lockLastApplied(transaction: EntityManager, stream: AggregateStream, now: Date): Promise<number> {
    const key = [this.consumer, stream.aggregateType, stream.aggregateId];
    await transaction.query(sql.createCheckpoint('$4'), [...key, now]);
    const rows = (await transaction.query(sql.lockCheckpoint(), key)) as { last_sequence: number }[];
    return rows[0]?.last_sequence ?? 0;
  }

  /** Keeps an early event; false when that sequence of that aggregate is held already (a redelivery). */
  async hold(transaction: EntityManager, event: HeldEvent): Promise<boolean> {
    const { envelope } = event;
    const inserted = (await transaction.query(
      `INSERT INTO held_events (consumer, aggregate_type, aggregate_id, sequence, event_id, envelope, source, held_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING sequence`,
      [
        this.consumer,
        envelope.aggregateType,
        envelope.aggregateId,
        envelope.sequence,
        envelope.eventId,
        JSON.stringify(envelope),
        JSON.stringify(event.source),
        event.heldAt,
      ],
    )) as unknown[];
    return inserted.length === 1;
  }

  /** The streams with at least one event held since before `heldBefore`: their gap did not fill in time. */
  async streamsWithExpiredEvents(manager: EntityManager, heldBefore: Date): Promise<AggregateStream[]> {
    const rows = (await manager.query(
      `SELECT DISTINCT aggregate_type, aggregate_id FROM held_events WHERE consumer = $1 AND held_at < $2`,
      [this.consumer, heldBefore],
    )) as { aggregate_type: string; aggregate_id: string }[];
    return rows.map((row) => ({ aggregateType: row.aggregate_type, aggregateId: row.aggregate_id }));
  }

  /** Removes and returns, in sequence order, the stream's events held since before `heldBefore`. */
  async releaseExpired(transaction: EntityManager, stream: AggregateStream, heldBefore: Date): Promise<HeldEvent[]> {
    const rows = (await transaction.query(
      `WITH released AS (
         DELETE FROM held_events
         WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = $3 AND held_at < $4
         RETURNING aggregate_type, aggregate_id, sequence, envelope, source, held_at)
       SELECT * FROM released ORDER BY sequence`,
      [this.consumer, stream.aggregateType, stream.aggregateId, heldBefore],
    )) as HeldEventRow[];
    return rows.map(toHeldEvent);
  }

  /** How many events this consumer holds right now: the `ordering_guard_held_events` gauge. */
  async heldCount(manager: EntityManager): Promise<number> {
    const rows = (await manager.query(`SELECT count(*)::int AS held FROM held_events WHERE consumer = $1`, [
      this.consumer,
    ])) as { held: number }[];
    return rows[0]?.held ?? 0;
  }
}

function toHeldEvent(row: HeldEventRow): HeldEvent {
  return { envelope: row.envelope, source: row.source, heldAt: row.held_at };
}
