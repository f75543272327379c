import { Module, type DynamicModule } from '@nestjs/common';
import { BillingRunWorker } from './billing-run-worker.js';
import type { BillingRunSettings } from './billing-run-settings.js';
import { BILLING_RUN_SETTINGS, BillingSchedules } from './billing-schedules.js';
import { InvoiceBusinessDay } from './invoice-business-day.js';

/** Daily billing runs per customer time zone (article 9): the worker, and the starter PUT /customers uses. */
@Module({})
export class BillingRunModule {
  static forRoot(settings: BillingRunSettings): DynamicModule {
    return {
      module: BillingRunModule,
      providers: [{ provide: BILLING_RUN_SETTINGS, useValue: settings }, InvoiceBusinessDay, BillingRunWorker, BillingSchedules],
      exports: [BILLING_RUN_SETTINGS, BillingSchedules, InvoiceBusinessDay],
    };
  }
}
