/**
 * The services' `outbox` and `events` tables as test beds and benchmarks create them in a schema of
 * their own: the columns, constraints and indexes the services' migrations leave (orders' and
 * billing's). One definition, so the beds measure and prove the tables the services run on; orders'
 * `service-tables.integration.test.ts` compares it with the migrated tables, so the two cannot drift
 * apart unnoticed. The migrations keep their own SQL: a migration is frozen once it has run.
 *
 * `table` is a schema-qualified name; each function returns the statements in the order to run them.
 */
export function outboxTableStatements(table: string): string[] {
  return [
    `CREATE TABLE ${table} (
       id              bigserial PRIMARY KEY,
       event_id        uuid NOT NULL UNIQUE,
       topic           text NOT NULL,
       aggregate_type  text NOT NULL,
       aggregate_id    text NOT NULL,
       sequence        int NOT NULL CHECK (sequence >= 1),
       event_type      text NOT NULL,
       envelope        jsonb NOT NULL,
       created_at      timestamptz NOT NULL,
       published_at    timestamptz,
       UNIQUE (aggregate_type, aggregate_id, sequence)
     )`,
    `CREATE INDEX ON ${table} (id) WHERE published_at IS NULL`,
  ];
}

/** The event store's table (see `StoredEvent` and `EventStore.append` in `event-store/`). */
export function eventsTableStatements(table: string): string[] {
  return [
    `CREATE TABLE ${table} (
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
       commit_order    xid8 NOT NULL DEFAULT pg_current_xact_id(),
       CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version)
     )`,
    `CREATE INDEX ON ${table} (commit_order, position)`,
  ];
}
