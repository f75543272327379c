import type { Provider, Type } from '@nestjs/common';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { ORDER_FULFILMENT_CLIENT, ORDER_FULFILMENT_OPTIONS, OrderFulfilmentStarter } from './order-fulfilment-starter.js';
import { OrderFulfilmentSteps } from './order-fulfilment-steps.js';
import { OrderFulfilmentWorker } from './order-fulfilment-worker.js';
import { StartOrderFulfilmentHandler } from './start-order-fulfilment.handler.js';
import { OrderRefundStarter } from '../order-refund/order-refund-starter.js';
import { StartOrderRefundHandler } from '../order-refund/start-order-refund.handler.js';
import { connectTemporalClient } from '@faultline/shared/temporal-worker';
import { TEMPORAL_FALLBACK } from './order-fulfilment-worker.js';

/**
 * The order-fulfilment saga's part of the orders AppModule (article 6): the worker that runs its
 * workflows (OrderFulfilment, OrderRefund) and their activities, the handler of `orders.order.placed`
 * that starts the fulfilment, and the handler of `orders.order.cancelled` that starts a paid order's
 * refund. Added to AppModule itself rather than a module of its own, because the steps commit
 * through the app's one OrderStream and outbox. Nothing when ORDERS_FULFILMENT=off.
 */
export function orderFulfilmentWiring(options: OrderFulfilmentOptions): { controllers: Type[]; providers: Provider[] } {
  if (options.mode === 'off') return { controllers: [], providers: [] };
  return {
    controllers: [StartOrderFulfilmentHandler, StartOrderRefundHandler],
    providers: [
      { provide: ORDER_FULFILMENT_OPTIONS, useValue: options },
      { provide: ORDER_FULFILMENT_CLIENT, useFactory: () => connectTemporalClient(options.temporal, TEMPORAL_FALLBACK) },
      OrderFulfilmentStarter,
      OrderRefundStarter,
      OrderFulfilmentSteps,
      OrderFulfilmentWorker,
    ],
  };
}
