import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Article 9: what billing runs and daily reports need.
 * - `billing_customers.time_zone` defaults to `UTC` for rows written without one.
 * - `billing_orders.placed_at`: the instant the order was placed, which decides its business day.
 *   Rows copied before this migration only know the instant of their last event; for an order still
 *   `placed` that is the placed event's own instant, so it is the best value available.
 * - `billing_invoices`: one row per customer and billed business date — the primary key is what makes
 *   a run that happens twice (the repeated hour when clocks go back, a retried activity) bill once.
 *   `business_date` is a calendar date with no zone; `time_zone` and the `[period_start, period_end)`
 *   instants say which zone's day it was.
 */
export class AddTimeZonesAndInvoices1764900000000 implements MigrationInterface {
  name = 'AddTimeZonesAndInvoices1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE billing_customers ALTER COLUMN time_zone SET DEFAULT 'UTC'`);
    await db.query(`ALTER TABLE billing_orders ADD COLUMN placed_at timestamptz`);
    await db.query(`UPDATE billing_orders SET placed_at = updated_at`);
    await db.query(`ALTER TABLE billing_orders ALTER COLUMN placed_at SET NOT NULL`);
    await db.query(`CREATE INDEX billing_orders_by_customer_and_placed_at ON billing_orders (customer_id, placed_at)`);
    await db.query(`CREATE INDEX billing_orders_by_placed_at ON billing_orders (placed_at)`);
    await db.query(`
      CREATE TABLE billing_invoices (
        customer_id    uuid NOT NULL,
        business_date  date NOT NULL,
        time_zone      text NOT NULL,
        period_start   timestamptz NOT NULL,
        period_end     timestamptz NOT NULL CHECK (period_end > period_start),
        billed_at      timestamptz NOT NULL,
        PRIMARY KEY (customer_id, business_date)
      )`);
    // Amounts are summed per currency: a customer's orders of one day may not share one.
    await db.query(`
      CREATE TABLE billing_invoice_lines (
        customer_id    uuid NOT NULL,
        business_date  date NOT NULL,
        currency       text NOT NULL,
        order_count    int NOT NULL CHECK (order_count > 0),
        amount_minor   bigint NOT NULL CHECK (amount_minor >= 0),
        PRIMARY KEY (customer_id, business_date, currency),
        FOREIGN KEY (customer_id, business_date) REFERENCES billing_invoices (customer_id, business_date) ON DELETE CASCADE
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE billing_invoice_lines`);
    await db.query(`DROP TABLE billing_invoices`);
    await db.query(`DROP INDEX billing_orders_by_placed_at`);
    await db.query(`DROP INDEX billing_orders_by_customer_and_placed_at`);
    await db.query(`ALTER TABLE billing_orders DROP COLUMN placed_at`);
    await db.query(`ALTER TABLE billing_customers ALTER COLUMN time_zone DROP DEFAULT`);
  }
}
