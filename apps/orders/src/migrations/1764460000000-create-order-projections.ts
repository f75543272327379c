import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders' read models (article 5): `order_details` and `customer_orders`, built asynchronously by
 * the OrderProjector from the `events` table, and one checkpoint per projection.
 *
 * `events.transaction_id` lets the projector read the stream without skipping a late commit: a
 * `bigserial` position is taken when a row is inserted, not when its transaction commits, so
 * position 41 can become visible after 42. The projector only reads events whose transaction is
 * older than every transaction still running (`pg_snapshot_xmin`), so nothing can appear behind its
 * checkpoint later. Rows already in the table get this migration's transaction id, which is older.
 */
export class CreateOrderProjections1764460000000 implements MigrationInterface {
  name = 'CreateOrderProjections1764460000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events ADD COLUMN transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await db.query(`
      CREATE TABLE projection_checkpoints (
        projection  text PRIMARY KEY,
        position    bigint NOT NULL CHECK (position >= 0),
        updated_at  timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE order_details (
        order_id             uuid PRIMARY KEY,
        customer_id          uuid NOT NULL,
        status               text NOT NULL,
        total_cents          bigint NOT NULL,
        currency             char(3) NOT NULL,
        version              int NOT NULL,
        placed_at            timestamptz NOT NULL,
        cancellation_reason  text,
        cancelled_at         timestamptz
      )`);
    await db.query(`
      CREATE TABLE customer_orders (
        customer_id  uuid NOT NULL,
        order_id     uuid NOT NULL,
        status       text NOT NULL,
        total_cents  bigint NOT NULL,
        currency     char(3) NOT NULL,
        version      int NOT NULL,
        placed_at    timestamptz NOT NULL,
        PRIMARY KEY (customer_id, order_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE customer_orders`);
    await db.query(`DROP TABLE order_details`);
    await db.query(`DROP TABLE projection_checkpoints`);
    await db.query(`ALTER TABLE events DROP COLUMN transaction_id`);
  }
}
