import { z } from 'zod';
import { requireWorkshopMode } from '@faultline/shared/config';
import type { LocalTimeOfDay } from '@faultline/shared/time';

/**
 * Article 9's pitfall switch. `per-customer-zone` (the default): each customer is billed at 09:00 in
 * their own IANA zone, for their own previous local day. `naive` (workshop only): 09:00 in the
 * SERVER's zone for everyone, billing UTC days — Tokyo and New York charged at the same instant.
 */
export const billingRunSchedule = () => z.enum(['per-customer-zone', 'naive']).default('per-customer-zone');
export type BillingRunSchedule = z.infer<ReturnType<typeof billingRunSchedule>>;

/** The task queue of the billing-run workflows (contract F); tests use one of their own. */
export const BILLING_RUNS_TASK_QUEUE = 'billing-runs';

/** When the daily run happens, on the customer's wall clock: the start of their business morning. */
export const DAILY_RUN_AT: LocalTimeOfDay = { hour: 9, minute: 0 };

export interface BillingRunSettings {
  temporal: { address: string; namespace: string };
  taskQueue: string;
  schedule: BillingRunSchedule;
  runAt: LocalTimeOfDay;
  /**
   * The machine's zone, used ONLY by the naive schedule (that is its bug); the correct schedule never
   * reads it. Captured once here so the workflow sandbox does not depend on the worker's TZ.
   */
  serverTimeZone: string;
}

/** Refuses the naive schedule outside workshop mode (DESIGN §6). */
export function requireAllowedBillingRunSchedule(service: string, settings: BillingRunSettings, env: Record<string, string | undefined>): BillingRunSettings {
  if (settings.schedule === 'naive') {
    requireWorkshopMode(
      service,
      {
        option: 'BILLING_RUN_SCHEDULE=naive',
        failure: "article 9's time-zone bug (every customer billed at the server's 09:00, on UTC days)",
        fix: 'unset BILLING_RUN_SCHEDULE to bill each customer at 09:00 in their own zone',
      },
      env,
    );
  }
  return settings;
}
