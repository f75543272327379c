// Imported by the schedule workflow (inside Temporal's sandbox): nothing here may need Node.
import type { BillingScheduleInput } from './billing-schedule-input.js';
import { naiveBillingZones } from './naive-billing-zones.js';

/**
 * Which zone a customer's day is kept in (article 9): the wall clock their 09:00 run is timed on,
 * and the zone whose business days their invoices and reports count.
 */
export interface BillingZones {
  /** The zone whose 09:00 starts the customer's next run. */
  runClockZone(input: BillingScheduleInput, customerZone: string): string;
  /** The zone whose business day a run bills and a report counts. */
  businessDayZone(customerZone: string): string;
}

/** Everything in the customer's own IANA zone, so a New York order at 23:30 local counts on that New York day. */
export const customerBillingZones: BillingZones = {
  runClockZone: (_input, customerZone) => customerZone,
  businessDayZone: (customerZone) => customerZone,
};

/** The zones of a schedule: the customer's, or the workshop's naive ones (naive-billing-zones.ts). */
export function billingZonesFor(schedule: BillingScheduleInput['schedule']): BillingZones {
  return schedule === 'naive' ? naiveBillingZones : customerBillingZones;
}
