import pg from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '../contracts/index.js';
import type { HeldEvent, SourceRecord } from '../ordering-guard/index.js';

/** What the consumer's tables say about an event before it is applied. */
export interface Claim {
  /** The inbox has its eventId: applied before (article 3's redelivery). */
  inInbox: boolean;
  /** The aggregate's last applied sequence (0 if none); its checkpoint row is now locked. */
  lastSequence: number;
}

interface ClaimRow {
  last_sequence: number;
  in_inbox: boolean;
}

interface ReleasedRow {
  envelope: EventEnvelope;
  source: SourceRecord;
  held_at: Date;
}

/**
 * The inbox and the ordering checkpoint of one consumer, read and written together: the
 * ConsumedEventPipeline's database work for an event in TWO statements (claim, settle) instead of
 * six separate ones (inbox check, checkpoint insert, checkpoint lock, inbox insert, release,
 * advance). Round trips were most of an event's cost (docs/decisions/0012). The tables and their
 * meaning are the Inbox's and the OrderingGuard's; this class only fuses their statements.
 *
 * Both statements run prepared on the transaction's own connection (parsing and planning them on
 * every event cost as much as running them).
 */
export class InboxCheckpoint {
  private readonly claimStatement: string;
  private readonly settleStatement: string;
  private readonly createStatement: string;

  constructor(private readonly consumer: string) {
    // Named per consumer: a service with two consumers shares its pool, and a name is per connection.
    const tag = consumer.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 40);
    this.claimStatement = `inbox-checkpoint-claim:${tag}`;
    this.settleStatement = `inbox-checkpoint-settle:${tag}`;
    this.createStatement = `inbox-checkpoint-create:${tag}`;
  }

  /**
   * Locks the aggregate's checkpoint (creating it at 0 the first time) and says whether the event is
   * in the inbox, in one statement when the checkpoint exists. The lock serialises two deliveries of
   * one aggregate (a rebalance overlap, the expiry sweep), so both never decide from the same stale
   * sequence (article 4). The inbox is read with the statement's snapshot, which may predate a
   * concurrent apply of this very event; the sequence, read under the lock, then calls it a
   * duplicate, and the inbox's primary key stays the last line of defence.
   */
  async claim(transaction: EntityManager, event: EventEnvelope, now: Date): Promise<Claim> {
    const stream = [this.consumer, event.aggregateType, event.aggregateId];
    const text = `SELECT c.last_sequence,
         EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = $1 AND i.event_id = $4) AS in_inbox
       FROM ordering_checkpoints c
       WHERE c.consumer = $1 AND c.aggregate_type = $2 AND c.aggregate_id = $3
       FOR UPDATE OF c`;
    let rows = await runPrepared<ClaimRow>(transaction, this.claimStatement, text, [...stream, event.eventId]);
    if (rows.length === 0) {
      // The aggregate's first event here. ON CONFLICT DO NOTHING waits for a concurrent creator, and
      // the claim then runs again in a statement of its own, whose snapshot sees that row.
      await runPrepared(
        transaction,
        this.createStatement,
        `INSERT INTO ordering_checkpoints (consumer, aggregate_type, aggregate_id, last_sequence, updated_at)
         VALUES ($1, $2, $3, 0, $4) ON CONFLICT DO NOTHING`,
        [...stream, now],
      );
      rows = await runPrepared<ClaimRow>(transaction, this.claimStatement, text, [...stream, event.eventId]);
    }
    const row = rows[0];
    if (!row) throw new Error(`ordering checkpoint of ${event.aggregateType} ${event.aggregateId} vanished under its lock`);
    return { inInbox: row.in_inbox, lastSequence: row.last_sequence };
  }

  /**
   * After the handler applied `event`: moves the checkpoint to its sequence, records it in the inbox
   * and takes out the held event with the next sequence, if one is waiting, in one statement. The
   * statement starts after the claim took the lock, so its snapshot sees every event held for this
   * aggregate before. The inbox's primary key refuses a second apply of one event.
   */
  async settle(transaction: EntityManager, event: EventEnvelope, now: Date): Promise<HeldEvent | undefined> {
    const rows = await runPrepared<ReleasedRow>(
      transaction,
      this.settleStatement,
      `WITH advanced AS (
         UPDATE ordering_checkpoints SET last_sequence = $4, updated_at = $5
         WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = $3),
       recorded AS (
         INSERT INTO inbox (consumer, event_id, event_type, aggregate_type, aggregate_id, sequence, processed_at)
         VALUES ($1, $6, $7, $2, $3, $4, $5)),
       released AS (
         DELETE FROM held_events
         WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = $3 AND sequence = $4 + 1
         RETURNING envelope, source, held_at)
       SELECT * FROM released`,
      [this.consumer, event.aggregateType, event.aggregateId, event.sequence, now, event.eventId, event.type],
    );
    const row = rows[0];
    return row && { envelope: row.envelope, source: row.source, heldAt: row.held_at };
  }
}

/**
 * Runs a named (prepared) statement on the transaction's own connection, or through TypeORM when
 * the manager has no pg connection of its own. pg's errors are wrapped in QueryFailedError as
 * TypeORM would, so the failure classification sees the same errors either way.
 */
async function runPrepared<Row>(transaction: EntityManager, name: string, text: string, values: unknown[]): Promise<Row[]> {
  const connection: unknown = await transaction.queryRunner?.connect();
  if (!(connection instanceof pg.Client)) return (await transaction.query(text, values)) as Row[];
  try {
    return (await connection.query<Row & pg.QueryResultRow>({ name, text, values })).rows;
  } catch (error) {
    if (error instanceof pg.DatabaseError) throw new QueryFailedError(text, values, error);
    throw error;
  }
}
