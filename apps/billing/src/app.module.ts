import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReplicaReadsModule } from '@faultline/shared/consistency';
import { BILLING_PAYMENT_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { OutboxModule } from '@faultline/shared/outbox';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import { BillingRunModule } from './billing-run/billing-run.module.js';
import type { BillingSettings } from './config.js';
import { BillingCustomer, BillingOrder, entities } from './entities/index.js';
import { GetCustomerController } from './get-customer/get-customer.controller.js';
import { BillingOrderOwners } from './get-order/billing-order-owners.js';
import { GetOrderController } from './get-order/get-order.controller.js';
import { migrations } from './migrations/index.js';
import { PaymentProviderModule } from './payment-provider/index.js';
import { PaymentsModule } from './payments/payments.module.js';
import { PutCustomerController } from './put-customer/put-customer.controller.js';
import { PutCustomer } from './put-customer/put-customer.js';
import { DailyOrderTotals } from './reports/daily-order-totals.js';
import { ReportsController } from './reports/reports.controller.js';
import { TrackOrdersHandler } from './track-orders/track-orders.handler.js';

/** The topic billing owns: the payment events (ADR 0019), keyed by payment id. */
const paymentEvents = { topic: BILLING_PAYMENT_EVENTS_TOPIC, numPartitions: 3 };

@Module({})
export class AppModule {
  static forRoot(settings: BillingSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations }, topics: [paymentEvents], consumers: [settings.orderEvents] }),
        // The payment events: appended with each payment change, published by the relay.
        OutboxModule.forRoot({ producer: settings.service, publishing: settings.outbox.publishing }),
        TypeOrmModule.forFeature([BillingCustomer, BillingOrder]),
        ReplicaReadsModule.forRoot({ service: 'billing', options: settings.replicaReads, entities: [BillingCustomer] }),
        BillingRunModule.forRoot(settings.billingRuns),
        PaymentProviderModule.forRoot(settings.paymentProvider),
        PaymentsModule,
      ],
      controllers: [PutCustomerController, GetCustomerController, GetOrderController, TrackOrdersHandler, ReportsController],
      providers: [PutCustomer, DailyOrderTotals, BillingOrderOwners],
    };
  }
}
