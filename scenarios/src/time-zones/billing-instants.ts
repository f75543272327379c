import { randomUUID } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { addDays, businessDateOf, businessDayWindow, windowHours } from '@faultline/shared/time';
import { workspaceRoot } from '../environment.js';

/** The two customers of article 9: 9 h and −5/−4 h from UTC, so "09:00" is 14 hours apart. */
export const CUSTOMERS = { tokyo: 'Asia/Tokyo', newYork: 'America/New_York' } as const;
/** Days watched on each side of the DST change. */
const DAYS_AROUND_CHANGE = 2;

export interface BilledRun {
  customer: keyof typeof CUSTOMERS;
  billedDate: string;
  billingZone: string;
  at: string;
}

/**
 * Runs billing's real schedule workflows (apps/billing/dist/billing-run/workflows.js) on Temporal's
 * time-skipping test server, for a Tokyo and a New York customer across New York's next DST change,
 * on `schedule` (the value of billing's BILLING_RUN_SCHEDULE), and records the instant each run
 * happened. Only the activity is replaced, by a recorder: the question here is WHEN each customer is
 * billed; the invoices are the service's own tests' business.
 */
export async function observeBillingInstants(schedule: string): Promise<{ change: string; runs: BilledRun[] }> {
  quietTemporalRuntime();
  const root = workspaceRoot();
  const server = join(root, '.faultline', 'bin', 'temporal-test-server');
  await access(server, constants.X_OK).catch(() => {
    throw new Error(`${server} is missing — run \`node infra/native/cli.mjs up\`, which builds it.`);
  });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: server } } });
  const runs: BilledRun[] = [];
  const customerIds = new Map<string, keyof typeof CUSTOMERS>([
    [randomUUID(), 'tokyo'],
    [randomUUID(), 'newYork'],
  ]);
  try {
    const taskQueue = `billing-runs-scenario-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowsPath: join(root, 'apps', 'billing', 'dist', 'billing-run', 'workflows.js'),
      activities: {
        invoiceBusinessDay: (request: { customerId: string; businessDate: string; timeZone: string }) => {
          const customer = customerIds.get(request.customerId);
          if (customer) runs.push({ customer, billedDate: request.businessDate, billingZone: request.timeZone, at: minuteOf(Context.current().info.scheduledTimestampMs) });
          return Promise.resolve({ ...request, periodStart: '', periodEnd: '', created: true, lines: [] });
        },
      },
    });
    const change = nextDaylightSavingChange(new Date(await env.currentTimeMs()), CUSTOMERS.newYork);
    await worker.runUntil(async () => {
      await skipTo(env, `${addDays(change, -DAYS_AROUND_CHANGE)}T12:00:00Z`);
      for (const [customerId, customer] of customerIds) {
        await env.client.workflow.start('billingSchedule', {
          workflowId: `billing-schedule-${customerId}`,
          taskQueue,
          args: [
            {
              customerId,
              timeZone: CUSTOMERS[customer],
              schedule,
              // What the billing service captures in naive mode: the machine's own zone.
              serverTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
              runAt: { hour: 9, minute: 0 },
            },
          ],
        });
      }
      await skipTo(env, `${addDays(change, DAYS_AROUND_CHANGE)}T18:00:00Z`);
      for (const customerId of customerIds.keys()) await env.client.workflow.getHandle(`billing-schedule-${customerId}`).terminate('scenario over');
    });
    return { change, runs };
  } finally {
    await env.teardown();
  }
}

let runtimeInstalled = false;

/** Temporal's worker logs each state change at INFO on the console, in the middle of the narration. */
function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  runtimeInstalled = true;
}

/** The first local date after `from` whose day in `zone` is not 24 hours long. */
function nextDaylightSavingChange(from: Date, zone: string): string {
  let date = addDays(businessDateOf(from, zone), DAYS_AROUND_CHANGE + 1);
  for (let day = 0; day < 400; day += 1, date = addDays(date, 1)) {
    if (windowHours(businessDayWindow(date, zone)) !== 24) return date;
  }
  throw new Error(`${zone} has no daylight-saving change in the next 400 days`);
}

/** The run's instant to the minute: the test server stamps the activity a few ms after the timer fired. */
function minuteOf(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16)}Z`;
}

async function skipTo(env: TestWorkflowEnvironment, instant: string): Promise<void> {
  const now = await env.currentTimeMs();
  await env.sleep(Math.max(1, Date.parse(instant) - now));
}
