import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consuming pipeline's tables (inbox, ordering guard), for the order-fulfilment saga's starter:
 * orders consumes its own `orders.order.placed` to start the workflow. Written out here rather than
 * imported from libs/shared, so this migration never changes when the shared code does (the same
 * tables as billing's 1764356400000).
 */
export class CreateConsumerTables1764540000000 implements MigrationInterface {
  name = 'CreateConsumerTables1764540000000';

  async up(db: QueryRunner): Promise<void> {
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
    await db.query(`
      CREATE TABLE ordering_checkpoints (
        consumer        text NOT NULL,
        aggregate_type  text NOT NULL,
        aggregate_id    text NOT NULL,
        last_sequence   int NOT NULL CHECK (last_sequence >= 0),
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id)
      )`);
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
    await db.query(`CREATE INDEX held_events_by_age ON held_events (consumer, held_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE held_events`);
    await db.query(`DROP TABLE ordering_checkpoints`);
    await db.query(`DROP TABLE inbox`);
  }
}
