import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing's copy of an order follows every order event, not only placed and cancelled:
 * - `status` takes the six values of `BILLING_ORDER_STATUSES`;
 * - each status keeps what its event said: the payment (confirmed, paid, refunded), the instant of
 *   each change, the reasons for a rejection and a cancellation;
 * - `billing_orders_status_recorded` refuses a row whose status lacks its facts, so no code path can
 *   mark an order paid without its payment, or rejected without saying when and why.
 * A row already cancelled gets `cancelled_at` from `updated_at`, which the cancelled event set to
 * its `cancelledAt`; its reason was never stored and stays null. A row still `placed` whose
 * confirmed, paid or rejected event billing consumed before this migration keeps `placed`: the
 * consumer's checkpoint is past those events, and only replaying `orders.order.events` into a fresh
 * copy would bring them back.
 */
export class FollowOrderOutcomes1765100000000 implements MigrationInterface {
  name = 'FollowOrderOutcomes1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE billing_orders
        ADD COLUMN payment_id           uuid,
        ADD COLUMN confirmed_at         timestamptz,
        ADD COLUMN paid_at              timestamptz,
        ADD COLUMN rejected_at          timestamptz,
        ADD COLUMN rejection_reason     text,
        ADD COLUMN cancelled_at         timestamptz,
        ADD COLUMN cancellation_reason  text,
        ADD COLUMN refunded_at          timestamptz`);
    await db.query(`UPDATE billing_orders SET cancelled_at = updated_at WHERE status = 'cancelled'`);
    await db.query(`ALTER TABLE billing_orders DROP CONSTRAINT billing_orders_status_check`);
    await db.query(`
      ALTER TABLE billing_orders
        ADD CONSTRAINT billing_orders_status_check
          CHECK (status IN ('placed', 'confirmed', 'paid', 'rejected', 'cancelled', 'refunded')),
        ADD CONSTRAINT billing_orders_status_recorded CHECK (
          (status NOT IN ('confirmed', 'paid', 'refunded') OR payment_id IS NOT NULL)
          AND (status <> 'confirmed' OR confirmed_at IS NOT NULL)
          AND (status <> 'paid' OR paid_at IS NOT NULL)
          AND (status <> 'rejected' OR (rejected_at IS NOT NULL AND rejection_reason IS NOT NULL))
          AND (status NOT IN ('cancelled', 'refunded') OR cancelled_at IS NOT NULL)
          AND (status <> 'refunded' OR refunded_at IS NOT NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    // The two-status table cannot hold the other four: they go back to what billing knew of them then.
    await db.query(`UPDATE billing_orders SET status = 'placed' WHERE status IN ('confirmed', 'paid', 'rejected')`);
    await db.query(`UPDATE billing_orders SET status = 'cancelled' WHERE status = 'refunded'`);
    await db.query(`ALTER TABLE billing_orders DROP CONSTRAINT billing_orders_status_recorded`);
    await db.query(`ALTER TABLE billing_orders DROP CONSTRAINT billing_orders_status_check`);
    await db.query(`ALTER TABLE billing_orders ADD CONSTRAINT billing_orders_status_check CHECK (status IN ('placed', 'cancelled'))`);
    await db.query(`
      ALTER TABLE billing_orders
        DROP COLUMN refunded_at,
        DROP COLUMN cancellation_reason,
        DROP COLUMN cancelled_at,
        DROP COLUMN rejection_reason,
        DROP COLUMN rejected_at,
        DROP COLUMN paid_at,
        DROP COLUMN confirmed_at,
        DROP COLUMN payment_id`);
  }
}
