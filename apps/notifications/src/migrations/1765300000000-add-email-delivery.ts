import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail delivery: what each notification says (its kind and content), the event it came from (its
 * Message-ID), the delivery outbox's columns and its attempts; the customers' contact preferences;
 * and which customer each order belongs to, for the order events that do not name one.
 */
export class AddEmailDelivery1765300000000 implements MigrationInterface {
  name = 'AddEmailDelivery1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications ADD COLUMN kind text NOT NULL DEFAULT 'order-placed'`);
    await db.query(`ALTER TABLE notifications ALTER COLUMN kind DROP DEFAULT`);
    await db.query(`ALTER TABLE notifications ADD COLUMN event_id uuid`);
    await db.query(`ALTER TABLE notifications ADD COLUMN content jsonb`);
    await db.query(`ALTER TABLE notifications ADD COLUMN recipient text`);
    await db.query(`ALTER TABLE notifications ADD COLUMN next_attempt_at timestamptz`);
    await db.query(`ALTER TABLE notifications ADD COLUMN sent_at timestamptz`);
    await db.query(`ALTER TABLE notifications ADD COLUMN attempt_count int NOT NULL DEFAULT 0`);
    // Rows recorded before delivery existed have no content to render: they are never sent.
    await db.query(`UPDATE notifications SET status = 'failed' WHERE status = 'due'`);
    // One e-mail per event, whatever happens upstream of the handler: the event id is the Message-ID.
    await db.query(`CREATE UNIQUE INDEX notifications_by_event ON notifications (event_id)`);
    // The sender's poll: the due rows, soonest first.
    await db.query(`CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'due'`);
    await db.query(`
      CREATE TABLE delivery_attempts (
        id               uuid PRIMARY KEY,
        notification_id  uuid NOT NULL REFERENCES notifications (id),
        attempted_at     timestamptz NOT NULL,
        outcome          text NOT NULL,
        smtp_response    text,
        error            text
      )`);
    await db.query(`CREATE INDEX delivery_attempts_by_notification ON delivery_attempts (notification_id, attempted_at)`);
    await db.query(`
      CREATE TABLE contact_preferences (
        customer_id        uuid PRIMARY KEY,
        email              text NOT NULL,
        time_zone          text NOT NULL,
        quiet_hours_start  text,
        quiet_hours_end    text,
        updated_at         timestamptz NOT NULL,
        CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL))
      )`);
    await db.query(`
      CREATE TABLE order_customers (
        order_id     uuid PRIMARY KEY,
        customer_id  uuid NOT NULL,
        recorded_at  timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE order_customers`);
    await db.query(`DROP TABLE contact_preferences`);
    await db.query(`DROP TABLE delivery_attempts`);
    await db.query(`DROP INDEX notifications_due`);
    await db.query(`DROP INDEX notifications_by_event`);
    for (const column of ['attempt_count', 'sent_at', 'next_attempt_at', 'recipient', 'content', 'event_id', 'kind']) {
      await db.query(`ALTER TABLE notifications DROP COLUMN ${column}`);
    }
  }
}
