import pg from 'pg';
import type { ScenarioEnvironment } from '../environment.js';

/**
 * The naive set-up of article 8, built for the workshop and thrown away after: one database and one
 * role that both "services" use, with orders' report reaching into billing's table. It lives in its
 * own database so it can never touch the real services' data.
 */
export const MONOLITH_DATABASE = 'faultline_workshop_monolith';
const MONOLITH_ROLE = 'faultline_workshop_monolith';
const MONOLITH_PASSWORD = 'workshop-only';

/** Orders' "customer report" in the monolith: it joins billing's table, because it can. */
export const ORDERS_REPORT_ACROSS_SERVICES = `
  SELECT o.id, o.status, c.display_name
    FROM orders o
    JOIN billing_customers c ON c.id = o.customer_id`;

/** Billing's next migration, written by the billing team for billing's reasons. */
export const BILLING_RENAME_MIGRATION = 'ALTER TABLE billing_customers RENAME COLUMN display_name TO legal_name';

export async function createHiddenMonolith(env: ScenarioEnvironment): Promise<pg.Client> {
  const admin = await connectAsSuperuser(env);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${MONOLITH_DATABASE} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${MONOLITH_ROLE}`);
    await admin.query(`CREATE ROLE ${MONOLITH_ROLE} LOGIN PASSWORD '${MONOLITH_PASSWORD}'`);
    await admin.query(`CREATE DATABASE ${MONOLITH_DATABASE} OWNER ${MONOLITH_ROLE}`);
  } finally {
    await admin.end();
  }

  const shared = new pg.Client({
    host: '127.0.0.1',
    port: env.PG_PRIMARY_PORT,
    user: MONOLITH_ROLE,
    password: MONOLITH_PASSWORD,
    database: MONOLITH_DATABASE,
  });
  await shared.connect();
  await shared.query(`
    CREATE TABLE billing_customers (id uuid PRIMARY KEY, display_name text NOT NULL, time_zone text NOT NULL);
    CREATE TABLE orders (id uuid PRIMARY KEY, customer_id uuid NOT NULL, status text NOT NULL);
    INSERT INTO billing_customers VALUES ('6f1c2b9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', 'Ada Lovelace', 'Europe/London');
    INSERT INTO orders VALUES ('0d9e8f7a-6b5c-4d3e-9f1a-2b3c4d5e6f70', '6f1c2b9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', 'placed');
  `);
  return shared;
}

export async function dropHiddenMonolith(env: ScenarioEnvironment): Promise<void> {
  const admin = await connectAsSuperuser(env);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${MONOLITH_DATABASE} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${MONOLITH_ROLE}`);
  } finally {
    await admin.end();
  }
}

/** Creating and dropping a database and a role takes the superuser; nothing else in Faultline does. */
async function connectAsSuperuser(env: ScenarioEnvironment): Promise<pg.Client> {
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: env.PG_PRIMARY_PORT,
    user: env.PG_SUPERUSER,
    password: env.PG_SUPERUSER_PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  return admin;
}
