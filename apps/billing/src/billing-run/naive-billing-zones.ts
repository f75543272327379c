// Imported by the schedule workflow (inside Temporal's sandbox): nothing here may need Node.
import type { BillingZones } from './billing-zones.js';

/**
 * Article 9's pitfall (BILLING_RUN_SCHEDULE=naive, workshop only): the run is timed on the server's
 * clock and every day is a UTC day, whatever zone the customer lives in — so a New York order at
 * 23:30 local lands on the next day's invoice and report.
 */
export const naiveBillingZones: BillingZones = {
  runClockZone: (input) => input.serverTimeZone,
  businessDayZone: () => 'UTC',
};
