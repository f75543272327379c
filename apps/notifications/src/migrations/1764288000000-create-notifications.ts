import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1764288000000 implements MigrationInterface {
  name = 'CreateNotifications1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notifications (
        id          uuid PRIMARY KEY,
        order_id    uuid NOT NULL,
        channel     text NOT NULL,
        status      text NOT NULL,
        due_at      timestamptz NOT NULL,
        created_at  timestamptz NOT NULL
      )`);
    // "What was sent about this order?" is the question the API answers.
    await db.query(`CREATE INDEX notifications_by_order ON notifications (order_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notifications`);
  }
}
