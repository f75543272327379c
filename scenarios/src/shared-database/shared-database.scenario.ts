import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { scenarioEnvironment, workspaceRoot, type ScenarioEnvironment } from '../environment.js';
import type { Narrator, Scenario, ScenarioOutcome } from '../scenario.js';
import {
  BILLING_RENAME_MIGRATION,
  ORDERS_REPORT_ACROSS_SERVICES,
  createHiddenMonolith,
  dropHiddenMonolith,
} from './hidden-monolith.js';

/**
 * Article 8 — the shared database. Naive: orders and billing share one database and role, orders
 * reads billing's table, and billing's rename breaks orders. Correct: each service has its own
 * database and role; orders cannot even connect to billing's database, and billing's migration
 * changes nothing orders can see.
 */
export const sharedDatabaseScenario: Scenario = {
  name: 'shared-database',
  article: 8,
  title: 'Shared database across services — the hidden monolith',
  // No service setting: the naive side is a database the scenario builds itself (hidden-monolith.ts).
  switches: { naive: {}, correct: {} },
  promise: {
    naive: "orders' report joins billing's table; billing renames a column; orders' report breaks",
    correct: "orders' role is refused by billing's database; billing's migration leaves orders' schema untouched",
  },
  async run(mode, narrate) {
    const env = scenarioEnvironment();
    return mode === 'naive' ? runNaive(env, narrate) : runCorrect(env, narrate);
  },
};

async function runNaive(env: ScenarioEnvironment, narrate: Narrator): Promise<ScenarioOutcome> {
  narrate.step('Creating the hidden monolith: one database, one role, both services\' tables in it');
  const shared = await createHiddenMonolith(env);
  try {
    const before = await shared.query(ORDERS_REPORT_ACROSS_SERVICES);
    narrate.step(`Orders' customer report joins billing_customers: ${before.rowCount} row(s), e.g. "${before.rows[0]?.display_name}"`);

    narrate.step(`Billing ships its migration: ${BILLING_RENAME_MIGRATION}`);
    await shared.query(BILLING_RENAME_MIGRATION);

    narrate.step("Orders runs the same report, unchanged, after billing's deploy");
    const failure = await shared.query(ORDERS_REPORT_ACROSS_SERVICES).then(
      () => undefined,
      (error: pg.DatabaseError) => error,
    );
    if (failure) narrate.detail(`orders' query failed: ${failure.code} ${failure.message}`);
    else narrate.detail("orders' query still works (the failure did not reproduce)");
    return {
      showedWhatItPromised: failure?.code === '42703', // undefined_column
      measurements: {
        ordersReportRowsBeforeMigration: before.rowCount ?? 0,
        ordersReportErrorAfterMigration: failure ? `${failure.code} ${failure.message}` : 'none',
      },
    };
  } finally {
    await shared.end();
    await dropHiddenMonolith(env);
  }
}

async function runCorrect(env: ScenarioEnvironment, narrate: Narrator): Promise<ScenarioOutcome> {
  const connect = async (user: string, password: string, database: string) => {
    const client = new pg.Client({ host: '127.0.0.1', port: env.PG_PRIMARY_PORT, user, password, database });
    await client.connect();
    return client;
  };

  narrate.step(`Orders' role (${env.ORDERS_DB_USER}) tries to connect to billing's database (${env.BILLING_DB_NAME})`);
  const refusal = await connect(env.ORDERS_DB_USER, env.ORDERS_DB_PASSWORD, env.BILLING_DB_NAME).then(
    async (client) => {
      await client.end();
      return undefined;
    },
    (error: pg.DatabaseError) => error,
  );
  narrate.detail(refusal ? `refused: ${refusal.code} ${refusal.message}` : 'connected (isolation is broken!)');

  narrate.step("Applying billing's own migrations with billing's own command (node apps/billing/dist/migrate.js)");
  narrate.detail(runServiceMigrations('billing'));
  narrate.detail(runServiceMigrations('orders'));

  const orders = await connect(env.ORDERS_DB_USER, env.ORDERS_DB_PASSWORD, env.ORDERS_DB_NAME);
  const billing = await connect(env.BILLING_DB_USER, env.BILLING_DB_PASSWORD, env.BILLING_DB_NAME);
  try {
    const ordersSchemaBefore = await schemaFingerprint(orders);
    narrate.step(`Billing runs the same rename on its own database: ${BILLING_RENAME_MIGRATION}`);
    // On billing's real database, inside a transaction that is rolled back: PostgreSQL's DDL is
    // transactional, so the workshop shows the migration without leaving billing renamed.
    await billing.query('BEGIN');
    await billing.query(BILLING_RENAME_MIGRATION);
    const ordersSchemaDuring = await schemaFingerprint(orders);
    const ordersStillServes = await orders.query('SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = $1', ['public']);
    await billing.query('ROLLBACK');
    const untouched = ordersSchemaBefore === ordersSchemaDuring;
    narrate.detail(
      untouched
        ? `orders' schema is identical before and after billing's migration (${ordersStillServes.rows[0].tables} tables, own migrations table orders_migrations)`
        : "orders' schema changed when billing migrated (coupling!)",
    );
    narrate.detail('the migration was rolled back: billing keeps its real schema');
    return {
      showedWhatItPromised: refusal?.code === '42501' && untouched,
      measurements: {
        ordersRoleOnBillingDatabase: refusal ? `${refusal.code} ${refusal.message}` : 'connected',
        ordersSchemaUntouchedByBillingMigration: untouched,
      },
    };
  } finally {
    await billing.query('ROLLBACK').catch(() => undefined);
    await Promise.allSettled([orders.end(), billing.end()]);
  }
}

/** Runs a service's own migration command, the one its operators use, and returns what it said. */
function runServiceMigrations(service: 'orders' | 'billing'): string {
  const script = join(workspaceRoot(), 'apps', service, 'dist', 'migrate.js');
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${service} migrations failed (${script}): ${run.stderr || run.stdout}`);
  return run.stdout.trim();
}

/** Every column orders can see in its own database, as one comparable string. */
async function schemaFingerprint(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ column: string }>(
    `SELECT table_name || '.' || column_name || ':' || data_type AS column
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.column).join('\n');
}
