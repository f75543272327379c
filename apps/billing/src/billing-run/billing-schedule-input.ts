// Names and shapes shared by the workflows (inside Temporal's sandbox) and the code that starts them:
// this file must import nothing that needs Node.
import type { LocalTimeOfDay } from '@faultline/shared/time';

export const BILLING_SCHEDULE_WORKFLOW = 'billingSchedule';
export const BILLING_RUN_WORKFLOW = 'billingRun';
export const TIME_ZONE_CHANGED_SIGNAL = 'timeZoneChanged';

/** One long-running schedule per customer: a second start is a no-op (contract F). */
export const billingScheduleWorkflowId = (customerId: string) => `billing-schedule-${customerId}`;

/**
 * One run per customer and local run date, whatever happens to the wall clock: the id is what makes
 * the repeated hour of a DST change run once (article 9).
 */
export const billingRunWorkflowId = (customerId: string, runDate: string) => `billing-run-${customerId}-${runDate}`;

export interface BillingScheduleInput {
  customerId: string;
  timeZone: string;
  schedule: 'per-customer-zone' | 'naive';
  /** Only the naive schedule reads it. */
  serverTimeZone: string;
  runAt: LocalTimeOfDay;
  /** The last run this schedule started, carried across continue-as-new. */
  lastRun?: { date: string; at: string };
}

export interface BillingRunInput {
  customerId: string;
  /** The local date of the 09:00 run; it bills the business day before it. */
  runDate: string;
  /** The zone whose day is billed: the customer's, or UTC in naive mode. */
  billingZone: string;
}

export interface InvoiceOutcome {
  customerId: string;
  businessDate: string;
  timeZone: string;
  periodStart: string;
  periodEnd: string;
  /** False when this business date was already invoiced: the run was a repeat. */
  created: boolean;
  lines: { currency: string; orderCount: number; amountMinor: number }[];
}

export interface BillingRunActivities {
  invoiceBusinessDay(request: { customerId: string; businessDate: string; timeZone: string }): Promise<InvoiceOutcome>;
}
