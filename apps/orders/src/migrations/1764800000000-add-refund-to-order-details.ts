import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The refund of a cancelled paid order (article 6) in the `order_details` read model: `pending`
 * from the cancellation until `orders.order.refunded`, then `refunded` and when. Null for every
 * order that was not paid when it was cancelled, which is every row that exists before this runs.
 */
export class AddRefundToOrderDetails1764800000000 implements MigrationInterface {
  name = 'AddRefundToOrderDetails1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE order_details
        ADD COLUMN refund_status text CHECK (refund_status IN ('pending', 'refunded')),
        ADD COLUMN refunded_at   timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE order_details DROP COLUMN refunded_at, DROP COLUMN refund_status`);
  }
}
