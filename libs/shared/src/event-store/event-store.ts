import { Injectable } from '@nestjs/common';
import pg from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { upcastPayload } from '../contracts/index.js';
import { ConcurrencyConflictError } from './concurrency-conflict-error.js';
import type { Decider, DomainEvent } from './decider.js';
import { STREAM_VERSION_CONSTRAINT, StoredEvent, type EventMetadata } from './stored-event.entity.js';

/** A stream: one aggregate's events. */
export interface StreamRef {
  type: string;
  id: string;
}

/** An event to append; the store gives it its version and position. */
export interface EventToAppend {
  eventId: string;
  type: string;
  schemaVersion: number;
  payload: object;
  metadata: EventMetadata;
  occurredAt: Date;
}

/** A stream folded through a decider: its state and the version that state is at. */
export interface Aggregate<State> {
  state: State;
  version: number;
}

const UNIQUE_VIOLATION = '23505';

/**
 * The event store on PostgreSQL: streams of events, appended with optimistic concurrency. Every
 * method takes the EntityManager of the caller's transaction, so appending events, writing the
 * outbox and recording the idempotency key commit or roll back together.
 */
@Injectable()
export class EventStore {
  /**
   * Appends `events` as versions expectedVersion+1, +2… of the stream. Throws
   * `ConcurrencyConflictError` if the stream is not at `expectedVersion` — either already (checked
   * here) or because a concurrent writer commits first (the unique constraint, checked by PostgreSQL
   * at the moment of the race, where a read-then-write check in code would let both writers through).
   *
   * One statement, one round trip (a head read and an insert as two would put the append at 0.7×
   * Emmett's, docs/performance.md): the INSERT only takes its rows when the stream's head, read in the
   * same statement, is `expectedVersion`, and the statement returns that head either way, so a stale
   * or future expectation is still refused with both versions named. The head read is a backward scan
   * of the `(stream_id, version)` index, and the unique constraint stays the race guard: two writers
   * that both see head = expectedVersion both try to insert version expectedVersion+1, and the second
   * waits for the first and fails with 23505 (article 4: one aggregate's events get consecutive
   * versions, never two "version 2"s).
   */
  async append(
    transaction: EntityManager,
    stream: StreamRef,
    expectedVersion: number,
    events: readonly EventToAppend[],
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const rows = events.map((event, index) =>
      Object.assign(new StoredEvent(), {
        ...event,
        streamId: stream.id,
        streamType: stream.type,
        version: expectedVersion + index + 1,
      }),
    );
    const statement = appendStatement(transaction.connection.getMetadata(StoredEvent).tablePath, stream, expectedVersion, rows);
    let result: AppendResultRow[];
    try {
      result = await runAppend(transaction, statement);
    } catch (error) {
      if (isUniqueViolationOf(error, STREAM_VERSION_CONSTRAINT)) throw new ConcurrencyConflictError(stream.id, expectedVersion);
      throw error;
    }
    const head = result[0]?.head ?? 0;
    // A stale expectation below the head would also be caught by the constraint; one above it would leave a gap.
    if (head !== expectedVersion) throw new ConcurrencyConflictError(stream.id, expectedVersion, head);
    const positions = new Map(result.map((row) => [row.version, row.position]));
    for (const row of rows) {
      const position = positions.get(row.version);
      if (position === undefined || position === null) throw new Error(`the append to stream ${stream.id} returned no position for version ${row.version}`);
      row.position = position;
    }
    return rows;
  }

  /** The stream's events in version order, each at the schemaVersion it was written with. */
  readStream(manager: EntityManager, streamId: string): Promise<StoredEvent[]> {
    return manager.find(StoredEvent, { where: { streamId }, order: { version: 'ASC' } });
  }

  /** Rebuilds an aggregate: every event of the stream, upcast to its newest schema, folded by `evolve`. */
  async aggregate<State>(
    manager: EntityManager,
    decider: Pick<Decider<never, DomainEvent, State, unknown>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<Aggregate<State>> {
    const events = await this.readStream(manager, streamId);
    const state = events.reduce(
      (current, event) =>
        decider.evolve(current, { type: event.type, payload: upcastPayload(event.type, event.schemaVersion, event.payload).payload }),
      decider.initialState,
    );
    return { state, version: events.at(-1)?.version ?? 0 };
  }
}

/** One row per inserted event, or one row with null position/version when nothing was inserted. */
interface AppendResultRow {
  head: number;
  position: string | null;
  version: number | null;
}

interface AppendStatement {
  /**
   * The prepared statement's name: one per table, as its text depends on nothing else. Short, as
   * PostgreSQL keeps only its first 63 bytes.
   */
  name: string;
  text: string;
  values: unknown[];
}

/**
 * `INSERT … SELECT … WHERE head = $expected`, returning the head and each inserted row's position.
 * The events travel as one array per column (`unnest`), so the text is the same whatever their
 * number and PostgreSQL can keep it prepared: parsing and planning it on every append cost about a
 * quarter of a single append's time here.
 *
 * Each row's `commit_order` is this transaction's id, raised to the head's when the head was written
 * by a younger transaction (one that took its id later but committed before this one read the
 * stream). Projections read in (commit_order, position) order; this keeps a stream's versions in
 * that order as well.
 */
function appendStatement(table: string, stream: StreamRef, expectedVersion: number, rows: readonly StoredEvent[]): AppendStatement {
  const quoted = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
  return {
    name: `event-store-append:${table}`,
    text: `WITH head AS (
             SELECT version, commit_order FROM ${quoted} WHERE stream_id = $1 ORDER BY version DESC LIMIT 1
           ), appended AS (
             INSERT INTO ${quoted}
                    (stream_id, stream_type, event_id, type, schema_version, payload, metadata, occurred_at, version, commit_order)
             SELECT $1, $2, e.event_id, e.type, e.schema_version, e.payload, e.metadata, e.occurred_at, e.version,
                    greatest(pg_current_xact_id(), (SELECT commit_order FROM head))
               FROM unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::int[])
                    WITH ORDINALITY AS e(event_id, type, schema_version, payload, metadata, occurred_at, version, n)
              WHERE coalesce((SELECT version FROM head), 0) = $3::int
              ORDER BY e.n
             RETURNING position, version
           )
           SELECT coalesce((SELECT version FROM head), 0)::int AS head, appended.position::text AS position, appended.version AS version
             FROM (SELECT) AS one LEFT JOIN appended ON true`,
    values: [
      stream.id,
      stream.type,
      expectedVersion,
      rows.map((row) => row.eventId),
      rows.map((row) => row.type),
      rows.map((row) => row.schemaVersion),
      rows.map((row) => JSON.stringify(row.payload)),
      rows.map((row) => JSON.stringify(row.metadata)),
      rows.map((row) => row.occurredAt),
      rows.map((row) => row.version),
    ],
  };
}

/**
 * Runs the append as a named (prepared) statement on the transaction's own connection when there is
 * one, or through TypeORM otherwise (a manager outside a transaction). pg's errors are wrapped in
 * QueryFailedError as TypeORM would, so callers see the same errors either way.
 */
async function runAppend(transaction: EntityManager, statement: AppendStatement): Promise<AppendResultRow[]> {
  const connection: unknown = await transaction.queryRunner?.connect();
  if (!(connection instanceof pg.Client)) return (await transaction.query(statement.text, statement.values)) as AppendResultRow[];
  try {
    return (await connection.query<AppendResultRow>(statement)).rows;
  } catch (error) {
    if (error instanceof pg.DatabaseError) throw new QueryFailedError(statement.text, statement.values, error);
    throw error;
  }
}

/** True when `error` is PostgreSQL refusing a row because of the named unique constraint. */
export function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const cause: { code?: unknown; constraint?: unknown } = error.driverError;
  return cause.code === UNIQUE_VIOLATION && cause.constraint === constraint;
}
