import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceDefaultsModule, type ServiceSettings } from '@faultline/shared/service-defaults';
import { Notification, entities } from './entities/index.js';
import { ListNotificationsController } from './list-notifications/list-notifications.controller.js';
import { migrations } from './migrations/index.js';

@Module({})
export class AppModule {
  static forRoot(settings: ServiceSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations } }),
        TypeOrmModule.forFeature([Notification]),
      ],
      controllers: [ListNotificationsController],
    };
  }
}
