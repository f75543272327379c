import { condition, continueAsNew, defineSignal, executeChild, setHandler, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { nextLocalTime } from '@faultline/shared/time';
import {
  BILLING_RUN_WORKFLOW,
  billingRunWorkflowId,
  TIME_ZONE_CHANGED_SIGNAL,
  type BillingRunInput,
  type BillingScheduleInput,
  type InvoiceOutcome,
} from './billing-schedule-input.js';
import { billingZonesFor } from './billing-zones.js';

export const timeZoneChanged = defineSignal<[string]>(TIME_ZONE_CHANGED_SIGNAL);

/**
 * A customer's daily billing, forever: sleep until the next 09:00 on their wall clock, start that
 * date's run, continue as new (so the history stays one day long). The time is computed in the
 * workflow with the customer's IANA zone — luxon is deterministic here, it reads only workflow time —
 * so a timer, not a cron in the server's zone, decides the instant (article 9).
 */
export async function billingSchedule(input: BillingScheduleInput): Promise<never> {
  let timeZone = input.timeZone;
  let zoneChanged = false;
  setHandler(timeZoneChanged, (zone) => {
    if (zone === timeZone) return;
    timeZone = zone;
    zoneChanged = true;
  });

  const zones = billingZonesFor(input.schedule);
  let next: { date: string; at: Date };
  for (;;) {
    zoneChanged = false;
    next = nextRun(input, zones.runClockZone(input, timeZone));
    // A changed zone wakes the timer early, to sleep again until 09:00 in the new zone.
    const woken = await condition(() => zoneChanged, Math.max(1, next.at.getTime() - Date.now()));
    if (!woken) break;
  }

  const run: BillingRunInput = { customerId: input.customerId, runDate: next.date, billingZone: zones.businessDayZone(timeZone) };
  try {
    await executeChild<(run: BillingRunInput) => Promise<InvoiceOutcome>>(BILLING_RUN_WORKFLOW, {
      workflowId: billingRunWorkflowId(input.customerId, next.date),
      args: [run],
      // A completed run for this date is never started again; a failed one may be.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError')) throw error;
  }
  return await continueAsNew<typeof billingSchedule>({ ...input, timeZone, lastRun: { date: next.date, at: next.at.toISOString() } });
}

/**
 * The next run: the first 09:00 after now (and after the last run), on a local date after the last
 * run's — so neither the repeated hour of a DST change nor a move to a zone further west can bill a
 * date twice.
 */
function nextRun(input: BillingScheduleInput, zone: string): { date: string; at: Date } {
  const lastAt = input.lastRun ? Date.parse(input.lastRun.at) : 0;
  let next = nextLocalTime(new Date(Math.max(Date.now(), lastAt)), input.runAt, zone);
  while (input.lastRun && next.date <= input.lastRun.date) next = nextLocalTime(next.at, input.runAt, zone);
  return next;
}
