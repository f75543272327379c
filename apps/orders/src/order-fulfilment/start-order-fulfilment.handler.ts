import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { orderPlaced, type EventEnvelope, type OrderPlaced } from '@faultline/shared/contracts';
import { ConsumedEventContext, HandlesEvent } from '@faultline/shared/messaging';
import { OrderStream } from '../order/order-stream.js';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { ORDER_FULFILMENT_OPTIONS, OrderFulfilmentStarter } from './order-fulfilment-starter.js';

/**
 * `orders.order.placed` → the order's OrderFulfilment workflow (DESIGN §3 step 3). It consumes the
 * orders service's own topic through the consuming pipeline (inbox, ordering guard) as a consumer of
 * its own, so the saga starts only for a committed, published order. The workflow carries the
 * event's correlationId, and its start joins the event's trace (the consumer's span is active).
 */
@Controller()
export class StartOrderFulfilmentHandler {
  constructor(
    private readonly orders: OrderStream,
    private readonly starter: OrderFulfilmentStarter,
    @Inject(ORDER_FULFILMENT_OPTIONS) private readonly options: OrderFulfilmentOptions,
  ) {}

  @HandlesEvent(orderPlaced)
  async placed(@Payload() event: EventEnvelope<OrderPlaced>, @Ctx() context: ConsumedEventContext): Promise<void> {
    const { orderId, customerId, total, placedAt } = event.payload;
    const { placedSince } = this.options;
    if (placedSince !== undefined && new Date(placedAt) < placedSince) return;
    // An order that has moved on (cancelled, or already being fulfilled) needs no start.
    const { state } = await this.orders.load(context.transaction, orderId);
    if (state.status !== 'placed') return;
    await this.starter.start({ orderId, customerId, amountMinor: total.amountMinor, currency: total.currency, correlationId: event.correlationId });
  }
}
