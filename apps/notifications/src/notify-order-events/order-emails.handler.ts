import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import {
  orderCancelled,
  orderPlaced,
  orderRefunded,
  orderRejected,
  type DecodedEvent,
  type EventEnvelope,
  type OrderCancelled,
  type OrderPlaced,
  type OrderRefunded,
  type OrderRejected,
} from '@faultline/shared/contracts';
import { ConsumedEventContext, HandlesEvent } from '@faultline/shared/messaging';
import { DeliveryOutbox } from '../delivery/delivery-outbox.js';
import type { OrderCancelledContent } from '../email-templates/order-cancelled.email.js';
import type { OrderPlacedContent } from '../email-templates/order-placed.email.js';
import type { OrderRefundedContent } from '../email-templates/order-refunded.email.js';
import type { OrderRejectedContent } from '../email-templates/order-rejected.email.js';
import { OrderCustomer } from '../entities/index.js';

/**
 * Records the e-mails of an order's life in the delivery outbox: received, rejected (with the
 * reason), cancelled, refunded. Plain handlers: the consuming pipeline has already deduplicated the
 * event (inbox), put it in the order's sequence (ordering guard) and opened the transaction they
 * write through; the NotificationSender delivers what they record.
 */
@Controller()
export class OrderEmailsHandler {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @HandlesEvent(orderPlaced)
  async placed(@Payload() event: EventEnvelope<OrderPlaced>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, customerId, lines, total, placedAt } = event.payload;
    await context.transaction.insert(OrderCustomer, { orderId, customerId, recordedAt: this.clock.now() });
    const content: OrderPlacedContent = { orderId, placedAt, lines, total };
    await this.record(context.transaction, event, 'order-placed', customerId, content, placedAt);
  }

  @HandlesEvent(orderRejected)
  async rejected(@Payload() event: EventEnvelope<OrderRejected>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, reason, rejectedAt } = event.payload;
    const content: OrderRejectedContent = { orderId, reason, rejectedAt };
    await this.record(context.transaction, event, 'order-rejected', await customerOf(context.transaction, orderId, event.type), content, rejectedAt);
  }

  @HandlesEvent(orderCancelled)
  async cancelled(@Payload() event: EventEnvelope<OrderCancelled>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, reason, cancelledAt } = event.payload;
    const content: OrderCancelledContent = { orderId, reason, cancelledAt };
    await this.record(context.transaction, event, 'order-cancelled', await customerOf(context.transaction, orderId, event.type), content, cancelledAt);
  }

  @HandlesEvent(orderRefunded)
  async refunded(@Payload() event: EventEnvelope<OrderRefunded>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, paymentId, amount, refundedAt } = event.payload;
    const content: OrderRefundedContent = { orderId, paymentId, amount, refundedAt };
    await this.record(context.transaction, event, 'order-refunded', await customerOf(context.transaction, orderId, event.type), content, refundedAt);
  }

  private record(
    transaction: EntityManager,
    event: DecodedEvent,
    kind: 'order-placed' | 'order-rejected' | 'order-cancelled' | 'order-refunded',
    customerId: string,
    content: { orderId: string },
    occurredAt: string,
  ): Promise<void> {
    const { orderId } = content;
    return DeliveryOutbox.record(transaction, { eventId: event.eventId, kind, orderId, customerId, content, occurredAt }, this.clock.now());
  }
}

/**
 * The order's customer, from its "placed" event. The ordering guard applies an order's events in
 * sequence, so the row is always there; a missing one means the guard was bypassed, and the
 * transaction must not commit (the record is retried, then dead-lettered: article 4).
 */
async function customerOf(transaction: EntityManager, orderId: string, type: string): Promise<string> {
  const order = await transaction.findOneBy(OrderCustomer, { orderId });
  if (!order) throw new Error(`${type} for order ${orderId}, but notifications has no record of it being placed`);
  return order.customerId;
}
