import { Module, type DynamicModule } from '@nestjs/common';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { EventStore } from '@faultline/shared/event-store';
import { IdempotentRequests } from '@faultline/shared/idempotency';
import { OutboxModule } from '@faultline/shared/outbox';
import { ReplicaReadsModule } from '@faultline/shared/consistency';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import { CancelOrderController } from './cancel-order/cancel-order.controller.js';
import { CancelOrder } from './cancel-order/cancel-order.js';
import type { OrdersSettings } from './config.js';
import { Order, entities } from './entities/index.js';
import { GetOrderController } from './get-order/get-order.controller.js';
import { GetOrder } from './get-order/get-order.js';
import { ListCustomerOrdersController } from './list-customer-orders/list-customer-orders.controller.js';
import { ListCustomerOrders } from './list-customer-orders/list-customer-orders.js';
import { migrations } from './migrations/index.js';
import { OrderHistoryController } from './order-history/order-history.controller.js';
import { OrderFulfilmentModule } from './order-fulfilment/order-fulfilment.module.js';
import { OrderOwners } from './order/order-owners.js';
import { OrderStream } from './order/order-stream.js';
import { PlaceOrderController } from './place-order/place-order.controller.js';
import { PlaceOrder } from './place-order/place-order.js';
import { projectionProviders } from './projections/projection-providers.js';

/** The topic orders owns: the order events, keyed by order id. */
const orderEvents = { topic: ORDER_EVENTS_TOPIC, numPartitions: 3 };

@Module({})
export class AppModule {
  static forRoot(settings: OrdersSettings): DynamicModule {
    // The order-fulfilment saga's starter reads orders' own placed events (article 6).
    const consumers = settings.fulfilment.mode === 'saga' ? [settings.fulfilment.starter] : [];
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations }, topics: [orderEvents], consumers }),
        // The order's events, and the order-fulfilment saga's steps' (article 6), go out through this one outbox.
        OutboxModule.forRoot({ producer: settings.service, publishing: settings.outbox.publishing }),
        ReplicaReadsModule.forRoot({ service: settings.service.name, options: settings.replicaReads, entities: [Order] }),
        OrderFulfilmentModule.forRoot({ fulfilment: settings.fulfilment, serviceTokens: settings.serviceTokens }),
      ],
      controllers: [
        PlaceOrderController,
        CancelOrderController,
        GetOrderController,
        ListCustomerOrdersController,
        OrderHistoryController,
      ],
      providers: [
        EventStore,
        IdempotentRequests,
        OrderStream,
        OrderOwners,
        PlaceOrder,
        CancelOrder,
        ...projectionProviders(settings.projections),
        GetOrder,
        ListCustomerOrders,
      ],
    };
  }
}
