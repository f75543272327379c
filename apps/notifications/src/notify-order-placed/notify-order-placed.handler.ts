import { randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ORDER_PLACED, orderPlaced, type DecodedEvent } from '@faultline/shared/contracts';
import { ConsumedEventContext } from '@faultline/shared/messaging';
import { Notification } from '../entities/index.js';

/**
 * Records that the customer is due an "order placed" e-mail. Delivery (quiet hours, SMTP) comes
 * later; the consuming pipeline has already made sure this runs once per event (inbox) and in the
 * order's sequence (ordering guard).
 */
@Controller()
export class NotifyOrderPlacedHandler {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  // `<string>` picks the untyped overload: the typed one wants every argument after the payload to be `unknown`.
  @EventPattern<string>(ORDER_PLACED)
  async placed(@Payload() event: DecodedEvent, @Ctx() context: ConsumedEventContext): Promise<void> {
    if (!orderPlaced.matches(event)) throw new Error(`${event.type} routed to the ${ORDER_PLACED} handler`);
    await context.transaction.insert(Notification, {
      id: randomUUID(),
      orderId: event.payload.orderId,
      customerId: event.payload.customerId,
      channel: 'email',
      status: 'due',
      dueAt: new Date(event.payload.placedAt),
      createdAt: this.clock.now(),
    });
  }
}
