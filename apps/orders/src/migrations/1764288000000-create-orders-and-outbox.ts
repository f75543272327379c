import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrdersAndOutbox1764288000000 implements MigrationInterface {
  name = 'CreateOrdersAndOutbox1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orders (
        id           uuid PRIMARY KEY,
        customer_id  uuid NOT NULL,
        status       text NOT NULL,
        total_cents  bigint NOT NULL CHECK (total_cents >= 0),
        currency     char(3) NOT NULL,
        version      int NOT NULL CHECK (version >= 1),
        placed_at    timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE outbox (
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
        -- One event per aggregate version: the database, not only the code, keeps sequences unique
        -- (article 4).
        UNIQUE (aggregate_type, aggregate_id, sequence)
      )`);
    // The relay asks for unpublished rows in id order; a partial index stays as small as the backlog.
    await db.query(`CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE orders`);
  }
}
