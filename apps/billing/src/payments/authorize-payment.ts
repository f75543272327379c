import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payment-provider/index.js';
import { IdempotentProviderCall, type PaymentAnswer } from './idempotent-provider-call.js';
import { PaymentLedger } from './payment-ledger.js';
import { Payment } from './payment.entity.js';
import type { AuthorizePaymentRequest } from './payments.schema.js';

/** Authorizes a charge at the provider, once per Idempotency-Key, and opens its ledger entry. */
@Injectable()
export class AuthorizePayment {
  constructor(
    private readonly calls: IdempotentProviderCall,
    private readonly ledger: PaymentLedger,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(request: AuthorizePaymentRequest, idempotencyKey: string | undefined): Promise<PaymentAnswer> {
    return this.calls.execute({
      operation: 'authorize',
      idempotencyKey,
      request,
      paymentId: null,
      successStatus: 201,
      prepare: () => Promise.resolve({ target: request }),
      call: (target, providerKey) =>
        this.provider.authorize({
          idempotencyKey: providerKey,
          amountMinor: target.amountMinor,
          currency: target.currency,
          customerReference: target.customerId,
          orderReference: target.orderId,
        }),
      record: async (transaction, target, authorization) => {
        const now = this.clock.now();
        const payment = Object.assign(new Payment(), {
          paymentId: randomUUID(),
          orderId: target.orderId,
          customerId: target.customerId,
          amountMinor: target.amountMinor,
          currency: target.currency,
          status: authorization.status,
          providerAuthorizationId: authorization.id,
          createdAt: now,
          updatedAt: now,
        });
        await this.ledger.record(transaction, payment);
        return payment;
      },
    });
  }
}
