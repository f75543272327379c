import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ORDER_PLACED, orderPlaced, type DecodedEvent } from '@faultline/shared/contracts';
import { ConsumedEventContext } from '@faultline/shared/messaging';
import { OrderStream } from '../order/order-stream.js';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { ORDER_FULFILMENT_OPTIONS, OrderFulfilmentStarter } from './order-fulfilment-starter.js';

/**
 * `orders.order.placed` → the order's OrderFulfilment workflow (DESIGN §3 step 3). It consumes the
 * orders service's own topic through the consuming pipeline (inbox, ordering guard) as a consumer of
 * its own, so the saga starts only for a committed, published order.
 */
@Controller()
export class StartOrderFulfilmentHandler {
  constructor(
    private readonly orders: OrderStream,
    private readonly starter: OrderFulfilmentStarter,
    @Inject(ORDER_FULFILMENT_OPTIONS) private readonly options: OrderFulfilmentOptions,
  ) {}

  // `<string>` picks the untyped overload: the typed one wants every argument after the payload to be `unknown`.
  @EventPattern<string>(ORDER_PLACED)
  async placed(@Payload() event: DecodedEvent, @Ctx() context: ConsumedEventContext): Promise<void> {
    if (!orderPlaced.matches(event)) throw new Error(`${event.type} routed to the ${ORDER_PLACED} handler`);
    const { orderId, customerId, total, placedAt } = event.payload;
    const { placedSince } = this.options;
    if (placedSince !== undefined && new Date(placedAt) < placedSince) return;
    // An order that has moved on (cancelled, or already being fulfilled) needs no start.
    const { state } = await this.orders.load(context.transaction, orderId);
    if (state.status !== 'placed') return;
    await this.starter.start({ orderId, customerId, amountMinor: total.amountMinor, currency: total.currency });
  }
}
