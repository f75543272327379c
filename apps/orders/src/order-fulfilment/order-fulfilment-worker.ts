import { fileURLToPath } from 'node:url';
import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { HostedWorker } from '@faultline/shared/temporal-worker';
import { ServiceTokens } from '../auth/service-tokens.js';
import { BillingPayments } from './billing-payments.js';
import { ORDER_FULFILMENT_OPTIONS } from './order-fulfilment-starter.js';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { OrderFulfilmentSteps } from './order-fulfilment-steps.js';
import { orderFulfilmentActivities } from './order-fulfilment.activities.js';

/** What a user can do when Temporal is not running, named in the "unreachable" error. */
export const TEMPORAL_FALLBACK = 'set ORDERS_FULFILMENT=off to run orders without its fulfilment saga';

/**
 * Runs the OrderFulfilment and OrderRefund workflows and their activities inside the orders process:
 * started before the service reports ready, drained and stopped when the app shuts down.
 */
@Injectable()
export class OrderFulfilmentWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: HostedWorker;

  constructor(
    @Inject(ORDER_FULFILMENT_OPTIONS) options: OrderFulfilmentOptions,
    steps: OrderFulfilmentSteps,
    @Inject(SERVICE_LOGGER) logger: PinoLogger,
    tokens: ServiceTokens,
  ) {
    const billing = new BillingPayments(options.billingUrl, () => tokens.tokenFor('billing'));
    this.worker = new HostedWorker({
      purpose: 'order fulfilment',
      temporal: options.temporal,
      taskQueue: options.taskQueue,
      workflowsPath: fileURLToPath(new URL('./order-workflows.js', import.meta.url)),
      activities: orderFulfilmentActivities(billing, steps),
      logger,
      fallback: TEMPORAL_FALLBACK,
      consequence: 'placed orders are not fulfilled, nor cancelled paid orders refunded, until orders restarts',
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
