import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { paymentCaptured, type EventEnvelope, type PaymentCaptured } from '@faultline/shared/contracts';
import { ConsumedEventContext, HandlesEvent } from '@faultline/shared/messaging';
import { DeliveryOutbox } from '../delivery/delivery-outbox.js';
import type { PaymentReceiptContent } from '../email-templates/payment-receipt.email.js';

/**
 * Records a receipt in the delivery outbox when billing has charged the customer. The payment's
 * other events (authorized, voided, refunded, failed) tell the customer nothing the order's e-mails
 * do not: this consumer has no handler for them, and its checkpoint moves past them.
 */
@Controller()
export class PaymentReceiptHandler {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @HandlesEvent(paymentCaptured)
  async captured(@Payload() event: EventEnvelope<PaymentCaptured>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { paymentId, orderId, customerId, amount, capturedAt } = event.payload;
    const content: PaymentReceiptContent = { orderId, paymentId, amount, capturedAt };
    await DeliveryOutbox.record(
      context.transaction,
      { eventId: event.eventId, kind: 'payment-receipt', orderId, customerId, content, occurredAt: capturedAt },
      this.clock.now(),
    );
  }
}
