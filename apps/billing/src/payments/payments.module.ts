import { Module } from '@nestjs/common';
import { AuthorizePayment } from './authorize-payment.js';
import { ChangePayment } from './change-payment.js';
import { IdempotentProviderCall } from './idempotent-provider-call.js';
import { PaymentCommandsController } from './payment-commands.controller.js';
import { PaymentLedger } from './payment-ledger.js';
import { PaymentQueriesController } from './payment-queries.controller.js';
import { PaymentRequestLog } from './payment-request-log.js';
import { PaymentStream } from './payment-stream.js';

/**
 * Billing's payments API (contract D): idempotent authorize / capture / void / refund for the order
 * saga, over the provider client (PAYMENT_PROVIDER, from the global PaymentProviderModule). Every
 * change publishes its `billing.payment.*` event through the outbox (Outbox, from the app's global OutboxModule).
 */
@Module({
  controllers: [PaymentCommandsController, PaymentQueriesController],
  providers: [PaymentRequestLog, PaymentLedger, PaymentStream, IdempotentProviderCall, AuthorizePayment, ChangePayment],
})
export class PaymentsModule {}
