import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { OutboxModule } from '@faultline/shared/outbox';
import { ServiceDefaultsModule, type ServiceSettings } from '@faultline/shared/service-defaults';
import { Order, entities } from './entities/index.js';
import { GetOrderController } from './get-order/get-order.controller.js';
import { migrations } from './migrations/index.js';
import { PlaceOrderController } from './place-order/place-order.controller.js';
import { PlaceOrder } from './place-order/place-order.js';

@Module({})
export class AppModule {
  static forRoot(settings: ServiceSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({
          settings,
          database: { entities, migrations },
          topics: [{ topic: ORDER_EVENTS_TOPIC, numPartitions: 3 }],
        }),
        TypeOrmModule.forFeature([Order]),
        OutboxModule.forRoot({ producer: settings.service }),
      ],
      controllers: [PlaceOrderController, GetOrderController],
      providers: [PlaceOrder],
    };
  }
}
