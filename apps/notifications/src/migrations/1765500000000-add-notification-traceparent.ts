import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps the trace context each notification was recorded in (a W3C traceparent), so the sender's
 * spans for it join the order's trace. Rows recorded before, or untraced, have none: their spans are roots.
 */
export class AddNotificationTraceparent1765500000000 implements MigrationInterface {
  name = 'AddNotificationTraceparent1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications ADD COLUMN traceparent text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications DROP COLUMN traceparent`);
  }
}
