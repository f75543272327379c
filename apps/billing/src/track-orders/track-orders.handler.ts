import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ORDER_CANCELLED, ORDER_PLACED, orderCancelled, orderPlaced, type DecodedEvent } from '@faultline/shared/contracts';
import { ConsumedEventContext } from '@faultline/shared/messaging';
import { BillingOrder } from '../entities/index.js';

/**
 * Keeps `billing_orders`, billing's own copy of the orders it bills, from the orders service's
 * events. Plain handlers: the consuming pipeline has already deduplicated the event (inbox), put it
 * in aggregate order (ordering guard) and opened the transaction they write through.
 */
@Controller()
export class TrackOrdersHandler {
  // `<string>` picks the untyped overload: the typed one wants every argument after the payload to be `unknown`.
  @EventPattern<string>(ORDER_PLACED)
  async placed(@Payload() event: DecodedEvent, @Ctx() context: ConsumedEventContext): Promise<void> {
    if (!orderPlaced.matches(event)) throw new Error(`${event.type} routed to the ${ORDER_PLACED} handler`);
    const { payload } = event;
    await context.transaction.insert(BillingOrder, {
      orderId: payload.orderId,
      customerId: payload.customerId,
      totalMinor: payload.total.amountMinor,
      currency: payload.total.currency,
      status: 'placed',
      version: event.sequence,
      placedAt: new Date(payload.placedAt),
      updatedAt: new Date(event.occurredAt),
    });
  }

  @EventPattern<string>(ORDER_CANCELLED)
  async cancelled(@Payload() event: DecodedEvent, @Ctx() context: ConsumedEventContext): Promise<void> {
    if (!orderCancelled.matches(event)) throw new Error(`${event.type} routed to the ${ORDER_CANCELLED} handler`);
    const { affected } = await context.transaction.update(
      BillingOrder,
      { orderId: event.payload.orderId },
      { status: 'cancelled', version: event.sequence, updatedAt: new Date(event.payload.cancelledAt) },
    );
    // The ordering guard applies an order's events in sequence, so "placed" is always here first;
    // a missing row means the guard was bypassed, and the transaction must not commit (article 4).
    if (affected !== 1) {
      throw new Error(`order ${event.payload.orderId} was cancelled but billing has no copy of it placed`);
    }
  }
}
