import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing's read model of orders, and the consuming pipeline's tables (inbox, ordering guard). The
 * pipeline's tables are written out here rather than imported from libs/shared, so this migration
 * never changes when the shared code does.
 */
export class CreateBillingOrdersAndConsumerTables1764356400000 implements MigrationInterface {
  name = 'CreateBillingOrdersAndConsumerTables1764356400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE billing_orders (
        order_id     uuid PRIMARY KEY,
        customer_id  uuid NOT NULL,
        total_minor  bigint NOT NULL CHECK (total_minor >= 0),
        currency     text NOT NULL,
        status       text NOT NULL CHECK (status IN ('placed', 'cancelled')),
        version      int NOT NULL CHECK (version >= 1),
        updated_at   timestamptz NOT NULL
      )`);
    // The inbox: one row per event a consumer applied; the key turns a redelivery into a no-op.
    await db.query(`
      CREATE TABLE inbox (
        consumer        text NOT NULL,
        event_id        uuid NOT NULL,
        event_type      text NOT NULL,
        aggregate_type  text NOT NULL,
        aggregate_id    text NOT NULL,
        sequence        int NOT NULL,
        processed_at    timestamptz NOT NULL,
        PRIMARY KEY (consumer, event_id)
      )`);
    // The ordering guard: the last sequence applied per aggregate (the row it locks while deciding)…
    await db.query(`
      CREATE TABLE ordering_checkpoints (
        consumer        text NOT NULL,
        aggregate_type  text NOT NULL,
        aggregate_id    text NOT NULL,
        last_sequence   int NOT NULL CHECK (last_sequence >= 0),
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id)
      )`);
    // …and the events that arrived early, kept here because the Kafka offset moves on past them.
    await db.query(`
      CREATE TABLE held_events (
        consumer        text NOT NULL,
        aggregate_type  text NOT NULL,
        aggregate_id    text NOT NULL,
        sequence        int NOT NULL,
        event_id        uuid NOT NULL,
        envelope        jsonb NOT NULL,
        source          jsonb NOT NULL,
        held_at         timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id, sequence)
      )`);
    // The expiry sweep asks for this consumer's events held since before a given instant.
    await db.query(`CREATE INDEX held_events_by_age ON held_events (consumer, held_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE held_events`);
    await db.query(`DROP TABLE ordering_checkpoints`);
    await db.query(`DROP TABLE inbox`);
    await db.query(`DROP TABLE billing_orders`);
  }
}
