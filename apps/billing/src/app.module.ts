import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceDefaultsModule, type ServiceSettings } from '@faultline/shared/service-defaults';
import { BillingCustomer, entities } from './entities/index.js';
import { GetCustomerController } from './get-customer/get-customer.controller.js';
import { migrations } from './migrations/index.js';
import { PutCustomerController } from './put-customer/put-customer.controller.js';
import { PutCustomer } from './put-customer/put-customer.js';

@Module({})
export class AppModule {
  static forRoot(settings: ServiceSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations } }),
        TypeOrmModule.forFeature([BillingCustomer]),
      ],
      controllers: [PutCustomerController, GetCustomerController],
      providers: [PutCustomer],
    };
  }
}
