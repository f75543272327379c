import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The simulated provider's ledger: its authorizations, and every keyed request with its answer. */
export class CreateAuthorizationsAndRequests1764950000000 implements MigrationInterface {
  name = 'CreateAuthorizationsAndRequests1764950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE authorizations (
        id                  text PRIMARY KEY,
        status              text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'refunded')),
        amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
        currency            char(3) NOT NULL,
        customer_reference  text NOT NULL,
        order_reference     text NOT NULL,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL
      )`);
    // "How many times was this order charged?" is the question article 6's proof asks.
    await db.query(`CREATE INDEX authorizations_by_order ON authorizations (order_reference, created_at)`);
    // One row per Idempotency-Key, written in the transaction of the request's effect (article 6):
    // the primary key makes a second request with the key wait for the first, then replay its answer.
    // `status` and the response are set before that transaction commits, so a committed row has them.
    await db.query(`
      CREATE TABLE idempotent_requests (
        idempotency_key  text PRIMARY KEY,
        operation        text NOT NULL CHECK (operation IN ('authorize', 'capture', 'void', 'refund')),
        request_hash     text NOT NULL,
        status           text CHECK (status IN ('succeeded', 'failed')),
        response_status  int,
        response_body    jsonb,
        created_at       timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotent_requests`);
    await db.query(`DROP TABLE authorizations`);
  }
}
