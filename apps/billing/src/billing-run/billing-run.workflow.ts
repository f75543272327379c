import { proxyActivities } from '@temporalio/workflow';
import { addDays } from '@faultline/shared/time';
import type { BillingRunActivities, BillingRunInput, InvoiceOutcome } from './billing-schedule-input.js';

const { invoiceBusinessDay } = proxyActivities<BillingRunActivities>({
  // One short SQL transaction; retried until the database answers (the insert is idempotent).
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** One customer's daily run: invoices the local business day before the run's date. */
export async function billingRun(input: BillingRunInput): Promise<InvoiceOutcome> {
  return await invoiceBusinessDay({ customerId: input.customerId, businessDate: addDays(input.runDate, -1), timeZone: input.billingZone });
}
