import { Injectable } from '@nestjs/common';
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
   */
  async append(
    transaction: EntityManager,
    stream: StreamRef,
    expectedVersion: number,
    events: readonly EventToAppend[],
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const actualVersion = await this.currentVersion(transaction, stream.id);
    // A stale expectation below the head is caught by the constraint too; one above it would leave a gap.
    if (actualVersion !== expectedVersion) throw new ConcurrencyConflictError(stream.id, expectedVersion, actualVersion);
    const rows = events.map((event, index) =>
      Object.assign(new StoredEvent(), {
        ...event,
        streamId: stream.id,
        streamType: stream.type,
        version: expectedVersion + index + 1,
      }),
    );
    try {
      await transaction.insert(StoredEvent, rows);
      return rows;
    } catch (error) {
      if (isUniqueViolationOf(error, STREAM_VERSION_CONSTRAINT)) throw new ConcurrencyConflictError(stream.id, expectedVersion);
      throw error;
    }
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

  private async currentVersion(manager: EntityManager, streamId: string): Promise<number> {
    const head = await manager.findOne(StoredEvent, { where: { streamId }, order: { version: 'DESC' }, select: { version: true } });
    return head?.version ?? 0;
  }
}

/** True when `error` is PostgreSQL refusing a row because of the named unique constraint. */
export function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const cause: { code?: unknown; constraint?: unknown } = error.driverError;
  return cause.code === UNIQUE_VIOLATION && cause.constraint === constraint;
}
