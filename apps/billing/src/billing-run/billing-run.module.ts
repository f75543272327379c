import { fileURLToPath } from 'node:url';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { hostedWorkerModule } from '@faultline/shared/temporal-worker';
import type { BillingRunActivities } from './billing-schedule-input.js';
import type { BillingRunSettings } from './billing-run-settings.js';
import { BILLING_RUN_SETTINGS, BillingSchedules } from './billing-schedules.js';
import { InvoiceBusinessDay } from './invoice-business-day.js';

/**
 * Daily billing runs per customer time zone (article 9): billing's Temporal worker for the billing-run
 * workflows, inside the billing process, and the starter PUT /customers uses. An unfinished run is
 * retried by Temporal on the next worker, and its invoice key keeps it single.
 */
@Module({})
export class BillingRunModule {
  static forRoot(settings: BillingRunSettings): DynamicModule {
    return hostedWorkerModule({
      module: BillingRunModule,
      providers: [{ provide: BILLING_RUN_SETTINGS, useValue: settings }, InvoiceBusinessDay, BillingSchedules],
      exports: [BILLING_RUN_SETTINGS, BillingSchedules, InvoiceBusinessDay],
      worker: {
        inject: [InvoiceBusinessDay, SERVICE_LOGGER],
        useFactory: (invoiceBusinessDay: InvoiceBusinessDay, logger: Logger) => {
          const activities: BillingRunActivities = { invoiceBusinessDay: (request) => invoiceBusinessDay.execute(request) };
          return {
            purpose: 'billing-run',
            temporal: settings.temporal,
            taskQueue: settings.taskQueue,
            workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)),
            activities,
            logger: logger.child({ schedule: settings.schedule }),
            consequence: 'no customer is billed until billing restarts',
          };
        },
      },
    });
  }
}
