import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { expectProblem, requireReachable, idleTestConsumer } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { billingScheduleWorkflowId } from '../billing-run/billing-schedule-input.js';
import { loadBillingSettings } from '../config.js';
import { customerFetch, operatorFetch, stopTestIssuer, tokenEnvironment } from '../testing/test-tokens.js';
import { DailyOrderTotals, type DailyTotal } from './daily-order-totals.js';

const env = readFaultlineEnvironment();
// ISO 4217's code for testing: no other test's orders use it, so totals per currency are this run's.
const CURRENCY = 'XTS';

interface CustomerReport {
  customerId: string;
  timeZone: string;
  days: DailyTotal[];
}

/**
 * Article 9's reports against billing's real database. Orders are written straight into
 * `billing_orders` (the read model the orders events feed) at chosen instants around 2026's US DST
 * changes. The expected totals are constants: this file passes under TZ=UTC, Pacific/Kiritimati and
 * America/St_Johns, which is the proof that no total depends on the machine's zone.
 */
describe('daily order reports over local business days', () => {
  let service: RunningService;
  let temporal: Connection;
  const newYork = randomUUID();
  const url = (path: string) => `${service.url}${path}`;
  /** Reads as New York's own customer, or as `caller` (an operator for company-wide reports). */
  const getJson = async <T>(path: string, caller: typeof fetch = customerFetch(newYork)): Promise<T> => {
    const response = await caller(url(path));
    assert.equal(response.status, 200, `${path} answered ${response.status}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const insertOrder = async (customerId: string, placedAt: string, totalMinor: number, status: 'placed' | 'cancelled' = 'placed') => {
    await service.app.get(DataSource).query(
      `INSERT INTO billing_orders (order_id, customer_id, total_minor, currency, status, version, placed_at, updated_at, cancelled_at)
       VALUES ($1, $2, $3, $4, $5, 1, $6::timestamptz, $6::timestamptz, $7::timestamptz)`,
      [randomUUID(), customerId, totalMinor, CURRENCY, status, placedAt, status === 'cancelled' ? placedAt : null],
    );
  };
  const day = (report: { days: DailyTotal[] }, date: string) => {
    const found = report.days.find((d) => d.date === date);
    assert.ok(found, `no ${date} in the report`);
    return { orderCount: found.orderCount, amount: found.revenue.find((r) => r.currency === CURRENCY)?.amountMinor ?? 0, hours: found.hours };
  };

  before(async () => {
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    const settings = loadBillingSettings({ ...env, LOG_LEVEL: 'error', BILLING_RUN_TASK_QUEUE: `billing-runs-test-${randomUUID()}`, ...(await tokenEnvironment()) });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer(settings.orderEvents);
    service = await startService(settings, AppModule.forRoot(settings));
    temporal = await Connection.connect({ address: settings.billingRuns.temporal.address });

    const put = await customerFetch(newYork)(url(`/customers/${newYork}`), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'New York Deli', timeZone: 'America/New_York' }),
    });
    assert.equal(put.status, 201);
    // 8 Mar 2026 lasts 23 h in New York (EST → EDT at 02:00); 1 Nov 2026 lasts 25 h (EDT → EST).
    await insertOrder(newYork, '2026-03-08T05:30:00Z', 100); // 00:30 EST, the day's first half hour
    await insertOrder(newYork, '2026-03-09T03:30:00Z', 200); // 23:30 EDT on 8 Mar: a UTC day would say 9 Mar
    await insertOrder(newYork, '2026-03-09T04:00:00Z', 400); // 00:00 EDT on 9 Mar: the window is half-open
    await insertOrder(newYork, '2026-03-08T15:00:00Z', 800, 'cancelled'); // cancelled: never counted
    await insertOrder(newYork, '2026-11-01T05:30:00Z', 10); // 01:30 EDT, the first 01:30
    await insertOrder(newYork, '2026-11-01T06:30:00Z', 20); // 01:30 EST, the repeated 01:30
    await insertOrder(newYork, '2026-11-02T04:30:00Z', 40); // 23:30 EST on 1 Nov
  });

  after(async () => {
    // The PUT started this customer's schedule on the dev server; it must not outlive the test.
    await new Client({ connection: temporal, namespace: env.TEMPORAL_NAMESPACE })
      .workflow.getHandle(billingScheduleWorkflowId(newYork))
      .terminate('test over')
      .catch(() => undefined);
    await temporal?.close();
    await stopTestIssuer();
    await service?.app.close();
  });

  it("counts a New York order at 23:30 local on 8 Mar 2026 in that local day, a 23-hour day", async () => {
    const report = await getJson<CustomerReport>(`/reports/customers/${newYork}/daily-orders?from=2026-03-07&to=2026-03-09`);
    assert.equal(report.timeZone, 'America/New_York');
    assert.deepEqual(day(report, '2026-03-08'), { orderCount: 2, amount: 300, hours: 23 });
    assert.deepEqual(day(report, '2026-03-09'), { orderCount: 1, amount: 400, hours: 24 });
    assert.deepEqual(day(report, '2026-03-07'), { orderCount: 0, amount: 0, hours: 24 });
    const eighth = report.days.find((d) => d.date === '2026-03-08');
    assert.deepEqual([eighth?.start, eighth?.end], ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('counts both occurrences of the repeated hour in the 25-hour day of 1 Nov 2026', async () => {
    const report = await getJson<CustomerReport>(`/reports/customers/${newYork}/daily-orders?from=2026-10-31&to=2026-11-02`);
    assert.deepEqual(day(report, '2026-11-01'), { orderCount: 3, amount: 70, hours: 25 });
    assert.deepEqual(day(report, '2026-11-02'), { orderCount: 0, amount: 0, hours: 24 });
  });

  it("puts the same orders on different days in another zone's report, with the same grand total", async () => {
    const path = (zone: string) => `/reports/daily-revenue?zone=${encodeURIComponent(zone)}&from=2026-03-07&to=2026-03-10`;
    const amounts = async (zone: string) => {
      const report = await getJson<{ days: DailyTotal[] }>(path(zone), operatorFetch);
      return Object.fromEntries(report.days.map((d) => [d.date, d.revenue.find((r) => r.currency === CURRENCY)?.amountMinor ?? 0]));
    };
    // Other tests bill XTS orders at these instants too, so measure what this test's two orders add.
    const before = { newYork: await amounts('America/New_York'), utc: await amounts('UTC') };
    const other = randomUUID();
    await insertOrder(other, '2026-03-08T05:30:00Z', 1_000); // 00:30 EST on 8 Mar, 05:30Z on 8 Mar
    await insertOrder(other, '2026-03-09T03:30:00Z', 2_000); // 23:30 EDT on 8 Mar, 03:30Z on 9 Mar
    const after = { newYork: await amounts('America/New_York'), utc: await amounts('UTC') };
    const added = (zone: 'newYork' | 'utc', date: string) => (after[zone][date] ?? 0) - (before[zone][date] ?? 0);
    assert.deepEqual([added('newYork', '2026-03-08'), added('newYork', '2026-03-09')], [3_000, 0]);
    assert.deepEqual([added('utc', '2026-03-08'), added('utc', '2026-03-09')], [1_000, 2_000]);
  });

  it('gives identical totals whatever the database session time zone', async () => {
    const direct = (zone: string) =>
      new DataSource({
        type: 'postgres',
        host: '127.0.0.1',
        port: Number(env.TOXIPROXY_BILLING_PG_PORT),
        database: env.BILLING_DB_NAME,
        username: env.BILLING_DB_USER,
        password: env.BILLING_DB_PASSWORD,
        extra: { options: `-c TimeZone=${zone}` },
      }).initialize();
    const reports = [];
    for (const zone of ['Pacific/Kiritimati', 'America/St_Johns']) {
      const dataSource = await direct(zone);
      try {
        reports.push(await new DailyOrderTotals(dataSource).perDay('America/New_York', '2026-03-07', '2026-03-09', newYork));
      } finally {
        await dataSource.destroy();
      }
    }
    assert.deepEqual(reports[0], reports[1]);
    assert.equal(reports[0]?.find((d) => d.date === '2026-03-08')?.orderCount, 2);
  });

  it('rejects an unknown zone, a reversed range and an unknown customer with problems', async () => {
    const zone = await expectProblem(await operatorFetch(url('/reports/daily-revenue?zone=Mars/Olympus&from=2026-03-01&to=2026-03-02')), 400);
    assert.deepEqual(zone.errors?.map((e) => e.path), ['zone']);
    await expectProblem(await customerFetch(newYork)(url(`/reports/customers/${newYork}/daily-orders?from=2026-03-09&to=2026-03-01`)), 400);
    const unknown = randomUUID();
    await expectProblem(await customerFetch(unknown)(url(`/reports/customers/${unknown}/daily-orders?from=2026-03-01&to=2026-03-02`)), 404);
  });

  it("answers a customer's token 403 on the company-wide report and on another customer's report", async () => {
    const revenue = await expectProblem(await customerFetch(newYork)(url('/reports/daily-revenue?zone=UTC&from=2026-03-07&to=2026-03-10')), 403);
    assert.match(revenue.detail, /faultline:operator/);
    await expectProblem(await customerFetch(randomUUID())(url(`/reports/customers/${newYork}/daily-orders?from=2026-03-07&to=2026-03-09`)), 403);
  });
});
