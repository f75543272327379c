import pg from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '../contracts/index.js';
import type { SourceRecord } from '../messaging/index.js';
import { orderingGuardStatements as guard, type HeldEvent } from '../ordering-guard/index.js';
import { inboxStatements as inbox } from './inbox.js';

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

/** $1 consumer, $2 aggregate type, $3 aggregate id, $4 event id. */
const CLAIM = guard.lockCheckpoint(`, ${inbox.holds('$1', '$4')} AS in_inbox`);
/** $1 consumer, $2 aggregate type, $3 aggregate id, $4 now. */
const CREATE = guard.createCheckpoint('$4');
/** $1 consumer, $2 aggregate type, $3 aggregate id, $4 sequence, $5 now, $6 event id, $7 event type. */
const SETTLE = `WITH advanced AS (${guard.advanceCheckpoint('$4', '$5')}),
  recorded AS (${inbox.record('$1, $6, $7, $2, $3, $4, $5')}),
  released AS (${guard.releaseHeld('$4 + 1')})
  SELECT * FROM released`;

/**
 * The inbox and the ordering checkpoint of one consumer, read and written together: the
 * ConsumedEventPipeline's database work for an event in TWO statements (claim, settle) instead of
 * six separate ones (inbox check, checkpoint insert, checkpoint lock, inbox insert, release,
 * advance). Round trips were most of an event's cost (docs/decisions/0012). The tables and their
 * meaning are the Inbox's and the OrderingGuard's, and so are the statements (`inboxStatements`,
 * `orderingGuardStatements`): this class only fuses them.
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
    let rows = await runPrepared<ClaimRow>(transaction, this.claimStatement, CLAIM, [...stream, event.eventId]);
    if (rows.length === 0) {
      // The aggregate's first event here. ON CONFLICT DO NOTHING waits for a concurrent creator, and
      // the claim then runs again in a statement of its own, whose snapshot sees that row.
      await runPrepared(transaction, this.createStatement, CREATE, [...stream, now]);
      rows = await runPrepared<ClaimRow>(transaction, this.claimStatement, CLAIM, [...stream, event.eventId]);
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
    const values = [this.consumer, event.aggregateType, event.aggregateId, event.sequence, now, event.eventId, event.type];
    const rows = await runPrepared<ReleasedRow>(transaction, this.settleStatement, SETTLE, values);
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
