import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReplicaReadsModule } from '@faultline/shared/consistency';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import type { BillingSettings } from './config.js';
import { BillingCustomer, BillingOrder, entities } from './entities/index.js';
import { GetCustomerController } from './get-customer/get-customer.controller.js';
import { GetOrderController } from './get-order/get-order.controller.js';
import { migrations } from './migrations/index.js';
import { PutCustomerController } from './put-customer/put-customer.controller.js';
import { PutCustomer } from './put-customer/put-customer.js';
import { TrackOrdersHandler } from './track-orders/track-orders.handler.js';

@Module({})
export class AppModule {
  static forRoot(settings: BillingSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations }, consumers: [settings.orderEvents] }),
        TypeOrmModule.forFeature([BillingCustomer, BillingOrder]),
        ReplicaReadsModule.forRoot({ service: 'billing', options: settings.replicaReads, entities: [BillingCustomer] }),
      ],
      controllers: [PutCustomerController, GetCustomerController, GetOrderController, TrackOrdersHandler],
      providers: [PutCustomer],
    };
  }
}
