import { Module, type DynamicModule } from '@nestjs/common';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { EventStore } from '@faultline/shared/event-store';
import { IdempotentRequests } from '@faultline/shared/idempotency';
import { OutboxModule } from '@faultline/shared/outbox';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import { CancelOrderController } from './cancel-order/cancel-order.controller.js';
import { CancelOrder } from './cancel-order/cancel-order.js';
import type { OrdersSettings } from './config.js';
import { entities } from './entities/index.js';
import { GetOrderController } from './get-order/get-order.controller.js';
import { migrations } from './migrations/index.js';
import { OrderStream } from './order/order-stream.js';
import { PlaceOrderController } from './place-order/place-order.controller.js';
import { PlaceOrder } from './place-order/place-order.js';

@Module({})
export class AppModule {
  static forRoot(settings: OrdersSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({
          settings,
          database: { entities, migrations },
          topics: [{ topic: ORDER_EVENTS_TOPIC, numPartitions: 3 }],
        }),
        OutboxModule.forRoot({ producer: settings.service, publishing: settings.outbox.publishing }),
      ],
      controllers: [PlaceOrderController, CancelOrderController, GetOrderController],
      providers: [EventStore, IdempotentRequests, OrderStream, PlaceOrder, CancelOrder],
    };
  }
}
