import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { orderCancelled, orderConfirmed, orderPaid, orderPlaced, orderRefunded, orderRejected } from '@faultline/shared/contracts';
import type { EventEnvelope, OrderCancelled, OrderConfirmed, OrderPaid, OrderPlaced, OrderRefunded, OrderRejected } from '@faultline/shared/contracts';
import { ConsumedEventContext, HandlesEvent } from '@faultline/shared/messaging';
import { BillingOrder, type BillingOrderStatus } from '../entities/billing-order.entity.js';

/**
 * Keeps `billing_orders`, billing's own copy of the orders it bills, from the orders service's
 * events: placed inserts the copy, every later event moves it to the status the order aggregate
 * decided (`BILLING_ORDER_STATUSES`). Plain handlers: the consuming pipeline has already
 * deduplicated the event (inbox), put it in aggregate order (ordering guard) and opened the
 * transaction they write through. Which statuses billing counts is `LIVE_ORDER_STATUSES`.
 */
@Controller()
export class TrackOrdersHandler {
  @HandlesEvent(orderPlaced)
  async placed(@Payload() event: EventEnvelope<OrderPlaced>, @Ctx() context: ConsumedEventContext): Promise<void> {
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

  @HandlesEvent(orderConfirmed)
  async confirmed(@Payload() event: EventEnvelope<OrderConfirmed>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, paymentId, confirmedAt } = event.payload;
    const at = new Date(confirmedAt);
    await moveCopy(context, event.sequence, orderId, 'confirmed', at, { paymentId, confirmedAt: at });
  }

  @HandlesEvent(orderPaid)
  async paid(@Payload() event: EventEnvelope<OrderPaid>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, paymentId, paidAt } = event.payload;
    const at = new Date(paidAt);
    await moveCopy(context, event.sequence, orderId, 'paid', at, { paymentId, paidAt: at });
  }

  @HandlesEvent(orderRejected)
  async rejected(@Payload() event: EventEnvelope<OrderRejected>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, reason, rejectedAt } = event.payload;
    const at = new Date(rejectedAt);
    await moveCopy(context, event.sequence, orderId, 'rejected', at, { rejectedAt: at, rejectionReason: reason });
  }

  @HandlesEvent(orderCancelled)
  async cancelled(@Payload() event: EventEnvelope<OrderCancelled>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, reason, cancelledAt } = event.payload;
    const at = new Date(cancelledAt);
    await moveCopy(context, event.sequence, orderId, 'cancelled', at, { cancelledAt: at, cancellationReason: reason });
  }

  @HandlesEvent(orderRefunded)
  async refunded(@Payload() event: EventEnvelope<OrderRefunded>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, paymentId, refundedAt } = event.payload;
    const at = new Date(refundedAt);
    await moveCopy(context, event.sequence, orderId, 'refunded', at, { paymentId, refundedAt: at });
  }
}

/**
 * Moves an order's copy to the status its event records, with that event's facts. The order
 * aggregate decides which transitions happen; the copy takes each one as it comes, in sequence.
 */
async function moveCopy(
  context: ConsumedEventContext,
  sequence: number,
  orderId: string,
  status: Exclude<BillingOrderStatus, 'placed'>,
  at: Date,
  facts: Partial<BillingOrder>,
): Promise<void> {
  const { affected } = await context.transaction.update(BillingOrder, { orderId }, { ...facts, status, version: sequence, updatedAt: at });
  // The ordering guard applies an order's events in sequence, so "placed" is always here first;
  // a missing row means the guard was bypassed, and the transaction must not commit (article 4).
  if (affected !== 1) throw new Error(`order ${orderId} was ${status} but billing has no copy of it placed`);
}
