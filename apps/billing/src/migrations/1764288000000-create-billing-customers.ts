import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBillingCustomers1764288000000 implements MigrationInterface {
  name = 'CreateBillingCustomers1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE billing_customers (
        id            uuid PRIMARY KEY,
        display_name  text NOT NULL,
        time_zone     text NOT NULL,
        created_at    timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE billing_customers`);
  }
}
