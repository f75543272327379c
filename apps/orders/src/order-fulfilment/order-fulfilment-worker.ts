import { fileURLToPath } from 'node:url';
import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { BillingPayments } from './billing-payments.js';
import { ORDER_FULFILMENT_OPTIONS } from './order-fulfilment-starter.js';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { OrderFulfilmentSteps } from './order-fulfilment-steps.js';
import { orderFulfilmentActivities } from './order-fulfilment.activities.js';
import { connectWorker, routeTemporalLogs } from './temporal-connections.js';

/**
 * Runs the OrderFulfilment workflow and its activities inside the orders process: started before the
 * service reports ready, drained and stopped when the app shuts down.
 */
@Injectable()
export class OrderFulfilmentWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private connection: NativeConnection | undefined;
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(ORDER_FULFILMENT_OPTIONS) private readonly options: OrderFulfilmentOptions,
    private readonly steps: OrderFulfilmentSteps,
    @Inject(SERVICE_LOGGER) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporal, taskQueue, billingUrl } = this.options;
    routeTemporalLogs(this.logger);
    this.connection = await connectWorker(temporal.address);
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./order-fulfilment.workflow.js', import.meta.url)),
      activities: orderFulfilmentActivities(new BillingPayments(billingUrl), this.steps),
    });
    this.running = this.worker.run().catch((error: unknown) => {
      this.logger.error({ err: error, taskQueue }, 'the order fulfilment worker stopped: placed orders are not fulfilled until orders restarts');
    });
    this.logger.info({ taskQueue, temporal: temporal.address }, 'order fulfilment worker polling');
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker?.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    await this.connection?.close();
  }
}
