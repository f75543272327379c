import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { orderCancelled, type EventEnvelope, type OrderCancelled } from '@faultline/shared/contracts';
import { ConsumedEventContext, HandlesEvent } from '@faultline/shared/messaging';
import { OrderStream } from '../order/order-stream.js';
import { OrderRefundStarter } from './order-refund-starter.js';

/**
 * `orders.order.cancelled` of a paid order → its OrderRefund workflow (article 6). The cancellation
 * and its outbox row commit in one transaction; this handler, on the fulfilment starter's consumer of
 * orders' own topic (inbox, ordering guard), starts the refund once the event is published — so a
 * process that dies right after the commit still refunds, when the relay and this consumer catch up.
 */
@Controller()
export class StartOrderRefundHandler {
  constructor(
    private readonly orders: OrderStream,
    private readonly starter: OrderRefundStarter,
  ) {}

  @HandlesEvent(orderCancelled)
  async cancelled(@Payload() event: EventEnvelope<OrderCancelled>, @Ctx() context: ConsumedEventContext): Promise<void> {
    // Only the stream knows whether the order was paid when it was cancelled; one refunded since needs nothing.
    const { state } = await this.orders.load(context.transaction, event.payload.orderId);
    if (state.status !== 'cancelled' || state.refundDue === undefined) return;
    await this.starter.start({ orderId: state.orderId, paymentId: state.refundDue.paymentId, correlationId: event.correlationId });
  }
}
