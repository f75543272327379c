import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { scenarioEnvironment } from '../environment.js';
import type { PitfallSwitches } from '../scenario.js';
import { ServiceProcess } from '@faultline/shared/testing';
import { timeZonesEnvironment } from './time-zones-environment.js';
import { ScenarioIdentity } from '../identity.js';

/** 23:30 in New York on 8 Mar 2026, the 23-hour day the US springs forward: 03:30Z on 9 Mar. */
export const LATE_ORDER_PLACED_AT = '2026-03-09T03:30:00.000Z';
export const LATE_ORDER_LOCAL = '2026-03-08 23:30 America/New_York';

interface ReportDay {
  date: string;
  hours: number;
  orderCount: number;
}

/**
 * Starts the identity provider and the real billing service with the mode's `switches`, gives
 * billing a New York customer (signed up at the identity provider, who sets their own profile) with
 * one order placed at 23:30 local on 8 Mar 2026 (written into billing's read model, as the orders
 * events would), and asks billing's daily report which day that order belongs to.
 */
export async function reportLateOrder(switches: PitfallSwitches): Promise<{ reportedOn: string | undefined; reportZone: string; dayHours: number | undefined }> {
  const env = scenarioEnvironment();
  const temporalEnv = timeZonesEnvironment();
  let identity: ScenarioIdentity | undefined;
  let customerId: string | undefined;
  let billing: ServiceProcess | undefined;
  const database = new pg.Client({ host: '127.0.0.1', port: env.PG_PRIMARY_PORT, user: env.BILLING_DB_USER, password: env.BILLING_DB_PASSWORD, database: env.BILLING_DB_NAME });
  const temporal = await Connection.connect({ address: `127.0.0.1:${temporalEnv.TEMPORAL_PORT}` });
  try {
    const billingEnv = {
      FAULTLINE_WORKSHOP_MODE: 'true',
      ...switches,
      // A queue of its own, so this billing process runs no one else's schedules.
      BILLING_RUN_TASK_QUEUE: `billing-runs-scenario-${randomUUID()}`,
    };
    identity = await ScenarioIdentity.start();
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => billingEnv, logName: 'scenario-billing' });
    // The New York customer: signed up at the identity provider, they set their own profile.
    const customer = await identity.newCustomer();
    customerId = customer.customerId;
    const put = await customer.fetch(`${billing.url}/customers/${customerId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Scenario Deli, New York', timeZone: 'America/New_York' }),
    });
    if (put.status !== 201) throw new Error(`PUT /customers answered ${put.status}: ${await put.text()}`);
    await database.connect();
    await database.query(
      `INSERT INTO billing_orders (order_id, customer_id, total_minor, currency, status, version, placed_at, updated_at)
       VALUES ($1, $2, 4200, 'USD', 'placed', 1, $3::timestamptz, $3::timestamptz)`,
      [randomUUID(), customerId, LATE_ORDER_PLACED_AT],
    );
    const response = await customer.fetch(`${billing.url}/reports/customers/${customerId}/daily-orders?from=2026-03-07&to=2026-03-09`);
    if (!response.ok) throw new Error(`the daily report answered ${response.status}: ${await response.text()}`);
    const report = (await response.json()) as { timeZone: string; days: ReportDay[] };
    const day = report.days.find((d) => d.orderCount > 0);
    return { reportedOn: day?.date, reportZone: report.timeZone, dayHours: day?.hours };
  } finally {
    if (customerId !== undefined) {
      await new Client({ connection: temporal, namespace: temporalEnv.TEMPORAL_NAMESPACE })
        .workflow.getHandle(`billing-schedule-${customerId}`)
        .terminate('scenario over')
        .catch(() => undefined);
    }
    await temporal.close();
    await database.end().catch(() => undefined);
    await billing?.stop();
    await identity?.stop();
  }
}
