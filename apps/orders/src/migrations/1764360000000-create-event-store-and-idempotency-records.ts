import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order aggregate becomes event-sourced: an `events` table (the event store) and the
 * `idempotency_records` of HTTP commands. Orders placed before this migration have their
 * `orders.order.placed` event in the outbox only; it is copied into the event store, so every
 * existing order keeps a stream.
 */
export class CreateEventStoreAndIdempotencyRecords1764360000000 implements MigrationInterface {
  name = 'CreateEventStoreAndIdempotencyRecords1764360000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events (
        position        bigserial PRIMARY KEY,
        stream_id       text NOT NULL,
        stream_type     text NOT NULL,
        version         int NOT NULL CHECK (version >= 1),
        event_id        uuid NOT NULL UNIQUE,
        type            text NOT NULL,
        schema_version  int NOT NULL CHECK (schema_version >= 1),
        payload         jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        occurred_at     timestamptz NOT NULL,
        -- Optimistic concurrency: of two writers deciding on the same version, PostgreSQL lets one in.
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version)
      )`);
    await db.query(`
      INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, payload, metadata, occurred_at)
      SELECT aggregate_id, aggregate_type, sequence, event_id, event_type, (envelope->>'schemaVersion')::int,
             envelope->'payload',
             jsonb_build_object('correlationId', envelope->'correlationId', 'causationId', envelope->'causationId',
                                'producer', envelope->'producer'),
             (envelope->>'occurredAt')::timestamptz
        FROM outbox WHERE aggregate_type = 'order' ORDER BY id`);
    await db.query(`
      CREATE TABLE idempotency_records (
        scope             text NOT NULL,
        key               text NOT NULL,
        request_hash      text NOT NULL,
        response_body     jsonb,
        response_headers  jsonb,
        created_at        timestamptz NOT NULL,
        -- A second request with the same key waits on this key, then replays the first one's answer.
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_records`);
    await db.query(`DROP TABLE events`);
  }
}
