import { Inject, Injectable } from '@nestjs/common';
import type { Origin } from '@faultline/shared/service-defaults';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payment-provider/index.js';
import { IdempotentProviderCall, type PaymentAnswer } from './idempotent-provider-call.js';
import { PaymentLedger } from './payment-ledger.js';
import { decideChange, type PaymentChange } from './payment-lifecycle.js';
import { paymentNotFound, paymentStateConflict } from './payment-problems.js';
import { PaymentStream } from './payment-stream.js';
import type { Payment } from './payment.entity.js';

/**
 * Captures, voids or refunds a payment at the provider, once per Idempotency-Key. The payment's row
 * is locked from the local check to the record of the provider's answer, so two changes of one
 * payment (a capture and a void racing) reach the provider one after the other. The new status and
 * its event (`billing.payment.captured`, `voided`, `refunded`), or the provider's refusal as
 * `billing.payment.failed`, are written in that same transaction; a change billing itself refuses
 * (unknown payment, a status that rules it out) never reached the provider and is no event.
 */
@Injectable()
export class ChangePayment {
  constructor(
    private readonly calls: IdempotentProviderCall,
    private readonly ledger: PaymentLedger,
    private readonly stream: PaymentStream,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  execute(change: PaymentChange, paymentId: string, idempotencyKey: string | undefined, origin: Origin): Promise<PaymentAnswer> {
    return this.calls.execute<Payment>({
      operation: change,
      idempotencyKey,
      request: {},
      paymentId,
      successStatus: 200,
      correlationId: origin.correlationId,
      prepare: async (transaction) => {
        const payment = await this.ledger.lock(transaction, paymentId);
        if (!payment) return { refused: paymentNotFound(paymentId) };
        const decision = decideChange(change, payment.status);
        if (!decision.allowed) return { refused: paymentStateConflict(`Payment ${paymentId}: ${decision.reason}.`) };
        return { target: payment };
      },
      call: (payment, providerKey) => this.provider[change](payment.providerAuthorizationId, providerKey, origin.correlationId),
      record: (transaction, payment, authorization, answeredAt) => this.stream.change(transaction, payment, authorization.status, answeredAt, origin),
      refuse: (transaction, payment, problem, answeredAt) => this.stream.refuseChange(transaction, payment, change, problem, answeredAt, origin),
    });
  }
}
