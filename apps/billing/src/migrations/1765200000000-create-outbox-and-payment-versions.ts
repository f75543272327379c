import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing publishes its payment events through a transactional outbox of its own (ADR 0019):
 * - `outbox`: the columns OutboxMessage maps and the relay reads, as in the orders service.
 * - `payments.version`: the payment's sequence, the number of events it has published. Each change
 *   bumps it in the transaction that appends the change's event, so the event's sequence is the new
 *   version: 1, 2, 3… with no gaps. Rows written before this migration published nothing and start at
 *   0, so their next change is their stream's first event.
 */
export class CreateOutboxAndPaymentVersions1765200000000 implements MigrationInterface {
  name = 'CreateOutboxAndPaymentVersions1765200000000';

  async up(db: QueryRunner): Promise<void> {
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
    await db.query(`ALTER TABLE payments ADD COLUMN version int NOT NULL DEFAULT 0 CHECK (version >= 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE payments DROP COLUMN version`);
    await db.query(`DROP TABLE outbox`);
  }
}
