import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import type { NotificationsSettings } from './config.js';
import { Notification, entities } from './entities/index.js';
import { ListNotificationsController } from './list-notifications/list-notifications.controller.js';
import { migrations } from './migrations/index.js';
import { NotifyOrderPlacedHandler } from './notify-order-placed/notify-order-placed.handler.js';

@Module({})
export class AppModule {
  static forRoot(settings: NotificationsSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations }, consumers: [settings.orderEvents] }),
        TypeOrmModule.forFeature([Notification]),
      ],
      controllers: [ListNotificationsController, NotifyOrderPlacedHandler],
    };
  }
}
