import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { PAYMENT_CAPTURED, paymentCaptured, type DecodedEvent } from '@faultline/shared/contracts';
import { ConsumedEventContext } from '@faultline/shared/messaging';
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

  // `<string>` picks the untyped overload: the typed one wants every argument after the payload to be `unknown`.
  @EventPattern<string>(PAYMENT_CAPTURED)
  async captured(@Payload() event: DecodedEvent, @Ctx() context: ConsumedEventContext): Promise<void> {
    if (!paymentCaptured.matches(event)) throw new Error(`${event.type} routed to the ${PAYMENT_CAPTURED} handler`);
    const { paymentId, orderId, customerId, amount, capturedAt } = event.payload;
    const content: PaymentReceiptContent = { orderId, paymentId, amount, capturedAt };
    await DeliveryOutbox.record(
      context.transaction,
      { eventId: event.eventId, kind: 'payment-receipt', orderId, customerId, content, occurredAt: capturedAt },
      this.clock.now(),
    );
  }
}
