import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who caused an event and who wrote it: everything in the envelope that is not the payload. */
export interface EventMetadata {
  correlationId: string;
  causationId: string;
  /** The W3C trace context the event was written in (the envelope's, see Outbox.append). */
  traceparent?: string;
  tracestate?: string;
  producer: { name: string; version: string };
}

/**
 * One row of a service's `events` table: the event store. Each service creates the table in its own
 * migration with `UNIQUE (stream_id, version)` named `events_stream_version_unique` — that
 * constraint, not application code, is what makes a concurrent append fail (optimistic concurrency) —
 * and `commit_order xid8 NOT NULL`, indexed with the position, which the append fills and
 * projections read in (see `EventStore.append`); it is not mapped, as nothing reads it as a field.
 */
@Entity({ name: 'events' })
export class StoredEvent {
  /** bigserial: the global order of all streams, for projections that read everything in order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  position!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'stream_type', type: 'text' })
  streamType!: string;

  /** The stream's version after this event: 1, 2, 3… with no gaps; the envelope's `sequence`. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'text' })
  type!: string;

  /** The version the payload was written at; readers upcast it (contracts' `upcastPayload`). */
  @Column({ name: 'schema_version', type: 'int' })
  schemaVersion!: number;

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ type: 'jsonb' })
  metadata!: EventMetadata;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}

/** The name the event store recognises a lost race by. */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_unique';
