import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Origin } from '@faultline/shared/service-defaults';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payment-provider/index.js';
import { IdempotentProviderCall, type PaymentAnswer } from './idempotent-provider-call.js';
import { PaymentStream } from './payment-stream.js';
import { Payment } from './payment.entity.js';
import type { AuthorizePaymentRequest } from './payments.schema.js';

/**
 * Authorizes a charge at the provider, once per Idempotency-Key, and opens its ledger entry with
 * `billing.payment.authorized`; a refusal is `billing.payment.failed` (ADR 0019).
 */
@Injectable()
export class AuthorizePayment {
  constructor(
    private readonly calls: IdempotentProviderCall,
    private readonly stream: PaymentStream,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  execute(request: AuthorizePaymentRequest, idempotencyKey: string | undefined, origin: Origin): Promise<PaymentAnswer> {
    return this.calls.execute({
      operation: 'authorize',
      idempotencyKey,
      request,
      paymentId: null,
      successStatus: 201,
      correlationId: origin.correlationId,
      prepare: () => Promise.resolve({ target: request }),
      call: (target, providerKey) =>
        this.provider.authorize(
          {
            idempotencyKey: providerKey,
            amountMinor: target.amountMinor,
            currency: target.currency,
            customerReference: target.customerId,
            orderReference: target.orderId,
          },
          origin.correlationId,
        ),
      record: async (transaction, target, authorization, answeredAt) => {
        const payment = Object.assign(new Payment(), {
          paymentId: randomUUID(),
          orderId: target.orderId,
          customerId: target.customerId,
          amountMinor: target.amountMinor,
          currency: target.currency,
          status: authorization.status,
          providerAuthorizationId: authorization.id,
          createdAt: answeredAt,
          updatedAt: answeredAt,
        });
        return this.stream.open(transaction, payment, origin);
      },
      refuse: async (transaction, target, problem, answeredAt) => {
        await this.stream.refuseAuthorization(transaction, target, problem, answeredAt, origin);
      },
    });
  }
}
