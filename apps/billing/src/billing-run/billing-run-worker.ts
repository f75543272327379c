import { fileURLToPath } from 'node:url';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { HostedWorker } from '@faultline/shared/temporal-worker';
import type { BillingRunActivities } from './billing-schedule-input.js';
import { BILLING_RUN_SETTINGS } from './billing-schedules.js';
import type { BillingRunSettings } from './billing-run-settings.js';
import { InvoiceBusinessDay } from './invoice-business-day.js';

/**
 * Billing's Temporal worker for the billing-run workflows, inside the billing process: it starts with
 * the app (the app is not ready until it polls) and drains and stops when the app closes. An
 * unfinished run is retried by Temporal on the next worker, and its invoice key keeps it single.
 */
@Injectable()
export class BillingRunWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly worker: HostedWorker;

  constructor(
    @Inject(BILLING_RUN_SETTINGS) settings: BillingRunSettings,
    invoiceBusinessDay: InvoiceBusinessDay,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    const activities: BillingRunActivities = { invoiceBusinessDay: (request) => invoiceBusinessDay.execute(request) };
    this.worker = new HostedWorker({
      purpose: 'billing-run',
      temporal: settings.temporal,
      taskQueue: settings.taskQueue,
      workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)),
      activities,
      logger: logger.child({ schedule: settings.schedule }),
      consequence: 'no customer is billed until billing restarts',
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
