import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import type { NotificationsSettings } from './config.js';
import { ContactPreferencesController } from './contact-preferences/contact-preferences.controller.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { DeliveryAttempt, Notification, entities } from './entities/index.js';
import { ListNotificationsController } from './list-notifications/list-notifications.controller.js';
import { migrations } from './migrations/index.js';
import { OrderEmailsHandler } from './notify-order-events/order-emails.handler.js';
import { PaymentReceiptHandler } from './payment-receipts/payment-receipt.handler.js';

@Module({})
export class AppModule {
  static forRoot(settings: NotificationsSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations }, consumers: [settings.orderEvents, settings.paymentEvents] }),
        TypeOrmModule.forFeature([Notification, DeliveryAttempt]),
        DeliveryModule.forRoot(settings.delivery),
      ],
      controllers: [ListNotificationsController, ContactPreferencesController, OrderEmailsHandler, PaymentReceiptHandler],
    };
  }
}
