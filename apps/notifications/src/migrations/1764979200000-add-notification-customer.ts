import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps the customer each notification is for, so a customer lists only their own. Rows recorded
 * before have no customer and are listed to no one.
 */
export class AddNotificationCustomer1764979200000 implements MigrationInterface {
  name = 'AddNotificationCustomer1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications ADD COLUMN customer_id uuid`);
    await db.query(`CREATE INDEX notifications_by_customer ON notifications (customer_id, order_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notifications_by_customer`);
    await db.query(`ALTER TABLE notifications DROP COLUMN customer_id`);
  }
}
