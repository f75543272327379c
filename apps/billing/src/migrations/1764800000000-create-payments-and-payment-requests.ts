import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments ledger and the record of every idempotent payment request (article 6). The charge
 * itself happens at the provider, outside this database, so a request is recorded twice: claimed
 * `in-flight` before the provider is called, then completed with its outcome and response.
 */
export class CreatePaymentsAndPaymentRequests1764800000000 implements MigrationInterface {
  name = 'CreatePaymentsAndPaymentRequests1764800000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per provider authorization: the UNIQUE makes a second payment for one charge impossible.
    await db.query(`
      CREATE TABLE payments (
        payment_id                 uuid PRIMARY KEY,
        order_id                   uuid NOT NULL,
        customer_id                uuid NOT NULL,
        amount_minor               bigint NOT NULL CHECK (amount_minor > 0),
        currency                   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status                     text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'refunded')),
        provider_authorization_id  text NOT NULL UNIQUE,
        created_at                 timestamptz NOT NULL,
        updated_at                 timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX payments_by_order ON payments (order_id)`);
    // Keyed by the client's Idempotency-Key alone: GET /payments/requests/{key} answers for any
    // operation. The provider key is derived from it, and unique, so no two requests share an effect.
    await db.query(`
      CREATE TABLE payment_requests (
        idempotency_key           text PRIMARY KEY,
        operation                 text NOT NULL CHECK (operation IN ('authorize', 'capture', 'void', 'refund')),
        request_hash              text NOT NULL,
        provider_idempotency_key  text NOT NULL UNIQUE,
        payment_id                uuid,
        outcome                   text NOT NULL CHECK (outcome IN ('in-flight', 'succeeded', 'failed')),
        response_status           int,
        response_body             jsonb,
        created_at                timestamptz NOT NULL,
        completed_at              timestamptz,
        -- A finished request always has the response a retry gets back; an unfinished one has none.
        CHECK ((outcome = 'in-flight') = (response_status IS NULL AND response_body IS NULL AND completed_at IS NULL))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE payment_requests`);
    await db.query(`DROP TABLE payments`);
  }
}
