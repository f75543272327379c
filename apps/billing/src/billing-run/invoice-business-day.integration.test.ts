import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { SystemClock } from '@faultline/shared/clock';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { dataSourceOptions } from '@faultline/shared/database';
import { requireReachable } from '@faultline/shared/testing';
import { loadBillingSettings } from '../config.js';
import { entities } from '../entities/index.js';
import { migrations } from '../migrations/index.js';
import { BILLING_RUN_WORKFLOW, billingRunWorkflowId, type BillingRunActivities, type BillingRunInput, type InvoiceOutcome } from './billing-schedule-input.js';
import { InvoiceBusinessDay } from './invoice-business-day.js';

const env = readFaultlineEnvironment();
const CURRENCY = 'XTS';

/**
 * A billing run end to end on the real infrastructure: the workflow on the Temporal dev server,
 * the activity writing to billing's PostgreSQL. New York's 8 Mar 2026 is a 23-hour day.
 */
describe('a billing run invoices one local business day, once', () => {
  let dataSource: DataSource;
  let temporal: Connection;
  let workerConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const taskQueue = `billing-runs-test-${randomUUID()}`;
  const customerId = randomUUID();

  const insertOrder = (placedAt: string, totalMinor: number) =>
    dataSource.query(
      `INSERT INTO billing_orders (order_id, customer_id, total_minor, currency, status, version, placed_at, updated_at)
       VALUES ($1, $2, $3, $4, 'placed', 1, $5::timestamptz, $5::timestamptz)`,
      [randomUUID(), customerId, totalMinor, CURRENCY, placedAt],
    );
  const runBillingFor = (runDate: string, billingZone = 'America/New_York') =>
    client.workflow.execute<(input: BillingRunInput) => Promise<InvoiceOutcome>>(BILLING_RUN_WORKFLOW, {
      workflowId: billingRunWorkflowId(customerId, runDate),
      taskQueue,
      args: [{ customerId, runDate, billingZone }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });

  before(async () => {
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    const settings = loadBillingSettings({ ...env, LOG_LEVEL: 'error' });
    dataSource = await new DataSource(dataSourceOptions('billing', settings.database, { entities, migrations })).initialize();
    const invoice = new InvoiceBusinessDay(dataSource, new SystemClock());
    const activities: BillingRunActivities = { invoiceBusinessDay: (request) => invoice.execute(request) };
    const { address, namespace } = settings.billingRuns.temporal;
    workerConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)),
      activities,
    });
    running = worker.run();
    temporal = await Connection.connect({ address });
    client = new Client({ connection: temporal, namespace });

    await insertOrder('2026-03-08T04:59:59Z', 1); // 23:59:59 EST on 7 Mar: the day before
    await insertOrder('2026-03-08T05:00:00Z', 100); // 00:00 EST: the first instant of 8 Mar
    await insertOrder('2026-03-09T03:30:00Z', 200); // 23:30 EDT on 8 Mar
    await insertOrder('2026-03-09T04:00:00Z', 400); // 00:00 EDT on 9 Mar: the next day
  });

  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await workerConnection?.close();
    await temporal?.close();
    await dataSource?.destroy();
  });

  it("bills the run date's previous local day, half-open, in the customer's zone", async () => {
    const outcome = await runBillingFor('2026-03-09');
    assert.deepEqual(
      { ...outcome },
      {
        customerId,
        businessDate: '2026-03-08',
        timeZone: 'America/New_York',
        periodStart: '2026-03-08T05:00:00.000Z',
        periodEnd: '2026-03-09T04:00:00.000Z',
        created: true,
        lines: [{ currency: CURRENCY, orderCount: 2, amountMinor: 300 }],
      },
    );
  });

  it('never starts a completed run again under the same id, and a repeated run writes no second invoice', async () => {
    await assert.rejects(runBillingFor('2026-03-09'), (error: unknown) => error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError');
    // Even a run that got past its id (a retried activity) finds the invoice's key taken.
    const repeat = await new InvoiceBusinessDay(dataSource, new SystemClock()).execute({ customerId, businessDate: '2026-03-08', timeZone: 'America/New_York' });
    assert.equal(repeat.created, false);
    assert.deepEqual(repeat.lines, [{ currency: CURRENCY, orderCount: 2, amountMinor: 300 }]);
    const rows = (await dataSource.query(`SELECT count(*)::int AS n FROM billing_invoices WHERE customer_id = $1`, [customerId])) as { n: number }[];
    assert.equal(rows[0]?.n, 1);
  });

  it('bills UTC days in naive mode, moving the 23:30 order to the next day', async () => {
    const outcome = await runBillingFor('2026-03-10', 'UTC');
    assert.deepEqual([outcome.businessDate, outcome.periodStart, outcome.lines], ['2026-03-09', '2026-03-09T00:00:00.000Z', [{ currency: CURRENCY, orderCount: 2, amountMinor: 600 }]]);
  });
});
