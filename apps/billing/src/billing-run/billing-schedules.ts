import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import {
  BILLING_SCHEDULE_WORKFLOW,
  billingScheduleWorkflowId,
  TIME_ZONE_CHANGED_SIGNAL,
  type BillingScheduleInput,
} from './billing-schedule-input.js';
import type { BillingRunSettings } from './billing-run-settings.js';

export const BILLING_RUN_SETTINGS = Symbol('BILLING_RUN_SETTINGS');

/**
 * Starts a customer's daily billing schedule, or tells the running one about a new time zone.
 * Signal-with-start makes it safe to call on every PUT of the customer: one workflow per customer id.
 */
@Injectable()
export class BillingSchedules implements OnApplicationShutdown {
  private readonly connection: Connection;
  private readonly client: Client;

  constructor(@Inject(BILLING_RUN_SETTINGS) private readonly settings: BillingRunSettings) {
    // Lazy: the connection opens on the first start, so a billing process that never creates a
    // customer never waits for Temporal here (its worker does, at start-up).
    this.connection = Connection.lazy({ address: settings.temporal.address });
    this.client = new Client({ connection: this.connection, namespace: settings.temporal.namespace });
  }

  async ensureScheduled(customer: { id: string; timeZone: string }): Promise<void> {
    const input: BillingScheduleInput = {
      customerId: customer.id,
      timeZone: customer.timeZone,
      schedule: this.settings.schedule,
      serverTimeZone: this.settings.serverTimeZone,
      runAt: this.settings.runAt,
    };
    await this.client.workflow.signalWithStart(BILLING_SCHEDULE_WORKFLOW, {
      workflowId: billingScheduleWorkflowId(customer.id),
      taskQueue: this.settings.taskQueue,
      args: [input],
      signal: TIME_ZONE_CHANGED_SIGNAL,
      signalArgs: [customer.timeZone],
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
