import assert from 'node:assert/strict';
import { access, constants } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { findFaultlineEnvFile } from '@faultline/shared/config';
import type { LocalTimeOfDay } from '@faultline/shared/time';
import {
  BILLING_SCHEDULE_WORKFLOW,
  billingScheduleWorkflowId,
  TIME_ZONE_CHANGED_SIGNAL,
  type BillingRunActivities,
  type BillingScheduleInput,
  type InvoiceOutcome,
} from './billing-schedule-input.js';

interface ObservedRun {
  customerId: string;
  businessDate: string;
  timeZone: string;
  /** When Temporal scheduled the activity: the (skipped) server time of the run. */
  at: string;
}

/**
 * The schedule workflows against the Java time-skipping test server: days pass in milliseconds. The
 * server's clock starts at the real now (late 2026) and only moves forward, so the DST changes
 * proven here are 2027's (US: 14 Mar, 7 Nov); the library's tests prove 2026's. The activity only
 * records the run (the invoice itself is proven against PostgreSQL in invoice-business-day's test).
 */
describe('billing schedules across daylight-saving changes (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `billing-runs-test-${randomUUID()}`;
  const observed: ObservedRun[] = [];

  const activities: BillingRunActivities = {
    invoiceBusinessDay: async (request): Promise<InvoiceOutcome> => {
      observed.push({ ...request, at: new Date(Context.current().info.scheduledTimestampMs).toISOString() });
      return { ...request, periodStart: '', periodEnd: '', created: true, lines: [] };
    },
  };

  before(async () => {
    const envFile = findFaultlineEnvFile();
    if (!envFile) throw new Error('infra/faultline.env not found: run the tests from the Faultline checkout');
    const path = join(dirname(dirname(envFile)), '.faultline', 'bin', 'temporal-test-server');
    await access(path, constants.X_OK).catch(() => {
      throw new Error(`${path} is missing — run \`node infra/native/cli.mjs up\`, which builds it.`);
    });
    // No fixed port (others run the test server at the same time); never let the SDK download one.
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)),
      activities,
    });
    running = worker.run();
  });

  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  const skipTo = async (instant: string) => {
    const now = await env.currentTimeMs();
    const target = Date.parse(instant);
    assert.ok(target > now, `the test server's clock (${new Date(now).toISOString()}) is already past ${instant}`);
    await env.sleep(target - now);
  };
  const startSchedule = async (customerId: string, timeZone: string, runAt: LocalTimeOfDay = { hour: 9, minute: 0 }) => {
    const input: BillingScheduleInput = { customerId, timeZone, schedule: 'per-customer-zone', serverTimeZone: 'UTC', runAt };
    return await env.client.workflow.start(BILLING_SCHEDULE_WORKFLOW, { workflowId: billingScheduleWorkflowId(customerId), taskQueue, args: [input] });
  };
  const runsOf = (customerId: string) => observed.filter((run) => run.customerId === customerId).map((run) => [run.businessDate, run.at.slice(0, 16)]);
  const stop = async (...customerIds: string[]) => {
    for (const id of customerIds) await env.client.workflow.getHandle(billingScheduleWorkflowId(id)).terminate('test over');
  };

  it('bills Tokyo at 00:00Z and New York at 14:00Z then 13:00Z across the spring-forward change', async () => {
    const [tokyo, newYork] = [randomUUID(), randomUUID()];
    await skipTo('2027-03-12T12:00:00Z');
    await startSchedule(tokyo, 'Asia/Tokyo');
    await startSchedule(newYork, 'America/New_York');
    await skipTo('2027-03-16T18:00:00Z');
    await stop(tokyo, newYork);

    // Each run bills the local business day before its own date.
    assert.deepEqual(runsOf(tokyo), [
      ['2027-03-12', '2027-03-13T00:00'],
      ['2027-03-13', '2027-03-14T00:00'],
      ['2027-03-14', '2027-03-15T00:00'],
      ['2027-03-15', '2027-03-16T00:00'],
    ]);
    assert.deepEqual(runsOf(newYork), [
      ['2027-03-11', '2027-03-12T14:00'],
      ['2027-03-12', '2027-03-13T14:00'],
      ['2027-03-13', '2027-03-14T13:00'],
      ['2027-03-14', '2027-03-15T13:00'],
      ['2027-03-15', '2027-03-16T13:00'],
    ]);
    assert.ok(observed.filter((run) => run.customerId === newYork).every((run) => run.timeZone === 'America/New_York'));
  });

  it("re-plans on a new time zone without billing any date twice", async () => {
    const mover = randomUUID();
    await skipTo('2027-06-01T12:00:00Z');
    await startSchedule(mover, 'Asia/Tokyo');
    await skipTo('2027-06-02T06:00:00Z'); // after Tokyo's 09:00 of 2 Jun (00:00Z)
    // The customer moves to New York: the running schedule is told, and its timer is re-planned.
    await env.client.workflow.getHandle(billingScheduleWorkflowId(mover)).signal(TIME_ZONE_CHANGED_SIGNAL, 'America/New_York');
    await skipTo('2027-06-04T18:00:00Z');
    await stop(mover);

    // New York's 09:00 of 2 Jun (13:00Z) would bill a date Tokyo already did: the schedule moves on.
    assert.deepEqual(runsOf(mover), [
      ['2027-06-01', '2027-06-02T00:00'],
      ['2027-06-02', '2027-06-03T13:00'],
      ['2027-06-03', '2027-06-04T13:00'],
    ]);
    assert.deepEqual(observed.filter((run) => run.customerId === mover).map((run) => run.timeZone), ['Asia/Tokyo', 'America/New_York', 'America/New_York']);
  });

  it('bills New York at 13:00Z then 14:00Z across the fall-back change, and a repeated wall time once', async () => {
    const [newYork, earlyBird] = [randomUUID(), randomUUID()];
    await skipTo('2027-11-05T12:00:00Z');
    await startSchedule(newYork, 'America/New_York');
    // 01:30 happens twice in New York on 7 Nov 2027 (05:30Z EDT, 06:30Z EST): one run, at the first.
    await startSchedule(earlyBird, 'America/New_York', { hour: 1, minute: 30 });
    await skipTo('2027-11-09T18:00:00Z');
    await stop(newYork, earlyBird);

    assert.deepEqual(runsOf(newYork), [
      ['2027-11-04', '2027-11-05T13:00'],
      ['2027-11-05', '2027-11-06T13:00'],
      ['2027-11-06', '2027-11-07T14:00'],
      ['2027-11-07', '2027-11-08T14:00'],
      ['2027-11-08', '2027-11-09T14:00'],
    ]);
    assert.deepEqual(runsOf(earlyBird), [
      ['2027-11-05', '2027-11-06T05:30'],
      ['2027-11-06', '2027-11-07T05:30'],
      ['2027-11-07', '2027-11-08T06:30'],
      ['2027-11-08', '2027-11-09T06:30'],
    ]);
  });
});
