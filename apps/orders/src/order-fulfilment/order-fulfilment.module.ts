import { fileURLToPath } from 'node:url';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { EventStore } from '@faultline/shared/event-store';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { connectTemporalClient, hostedWorkerModule } from '@faultline/shared/temporal-worker';
import { SERVICE_TOKEN_OPTIONS, ServiceTokens, type ServiceTokenOptions } from '../auth/service-tokens.js';
import { OrderStream } from '../order/order-stream.js';
import { OrderRefundStarter } from '../order-refund/order-refund-starter.js';
import { StartOrderRefundHandler } from '../order-refund/start-order-refund.handler.js';
import { BillingPayments } from './billing-payments.js';
import { orderFulfilmentActivities } from './order-fulfilment-activity-implementation.js';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { ORDER_FULFILMENT_CLIENT, ORDER_FULFILMENT_OPTIONS, OrderFulfilmentStarter } from './order-fulfilment-starter.js';
import { OrderFulfilmentSteps } from './order-fulfilment-steps.js';
import { StartOrderFulfilmentHandler } from './start-order-fulfilment.handler.js';

/** What a user can do when Temporal is not running, named in the "unreachable" error. */
const TEMPORAL_FALLBACK = 'set ORDERS_FULFILMENT=off to run orders without its fulfilment saga';

export interface OrderFulfilmentModuleOptions {
  fulfilment: OrderFulfilmentOptions;
  /** How orders gets its tokens for billing's payments API. */
  serviceTokens: ServiceTokenOptions | undefined;
}

/**
 * The order-fulfilment saga (article 6): the Temporal worker that runs its workflows (OrderFulfilment,
 * OrderRefund) and their activities inside the orders process, the handler of `orders.order.placed`
 * that starts the fulfilment, and the handler of `orders.order.cancelled` that starts a paid order's
 * refund. Empty when ORDERS_FULFILMENT=off.
 */
@Module({})
export class OrderFulfilmentModule {
  static forRoot({ fulfilment, serviceTokens }: OrderFulfilmentModuleOptions): DynamicModule {
    if (fulfilment.mode === 'off') return { module: OrderFulfilmentModule };
    return hostedWorkerModule({
      module: OrderFulfilmentModule,
      controllers: [StartOrderFulfilmentHandler, StartOrderRefundHandler],
      providers: [
        { provide: ORDER_FULFILMENT_OPTIONS, useValue: fulfilment },
        { provide: ORDER_FULFILMENT_CLIENT, useFactory: () => connectTemporalClient(fulfilment.temporal, TEMPORAL_FALLBACK) },
        OrderFulfilmentStarter,
        OrderRefundStarter,
        EventStore,
        OrderStream,
        OrderFulfilmentSteps,
        { provide: SERVICE_TOKEN_OPTIONS, useValue: serviceTokens },
        ServiceTokens,
      ],
      worker: {
        inject: [OrderFulfilmentSteps, ServiceTokens, SERVICE_LOGGER],
        useFactory: (steps: OrderFulfilmentSteps, tokens: ServiceTokens, logger: PinoLogger) => ({
          purpose: 'order fulfilment',
          temporal: fulfilment.temporal,
          taskQueue: fulfilment.taskQueue,
          workflowsPath: fileURLToPath(new URL('./order-workflows.js', import.meta.url)),
          activities: orderFulfilmentActivities(new BillingPayments(fulfilment.billingUrl, () => tokens.tokenFor('billing')), steps),
          logger,
          fallback: TEMPORAL_FALLBACK,
          consequence: 'placed orders are not fulfilled, nor cancelled paid orders refunded, until orders restarts',
        }),
      },
    });
  }
}
