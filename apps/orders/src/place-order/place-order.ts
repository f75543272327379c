import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ORDER_AGGREGATE, ORDER_EVENTS_TOPIC, ORDER_PLACED, orderPlacedV1 } from '@faultline/shared/contracts';
import { Outbox } from '@faultline/shared/outbox';
import type { Origin } from '@faultline/shared/service-defaults';
import { Order } from '../entities/index.js';
import type { PlaceOrderRequest } from './place-order.schema.js';

/**
 * Places an order: the order row and its `orders.order.placed` event are written in ONE
 * transaction (transactional outbox, article 6), so there is never an order without its event or an
 * event without its order. The relay publishes the event afterwards.
 */
@Injectable()
export class PlaceOrder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(request: PlaceOrderRequest, origin: Origin): Promise<Order> {
    const order = Object.assign(new Order(), {
      id: randomUUID(),
      customerId: request.customerId,
      status: 'placed',
      totalCents: request.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
      currency: request.currency,
      version: 1,
      placedAt: this.clock.now(),
    } satisfies Order);

    await this.dataSource.transaction(async (transaction) => {
      await transaction.insert(Order, order);
      await this.outbox.append(transaction, {
        topic: ORDER_EVENTS_TOPIC,
        type: ORDER_PLACED,
        schemaVersion: 1,
        aggregateType: ORDER_AGGREGATE,
        aggregateId: order.id,
        sequence: order.version,
        correlationId: origin.correlationId,
        causationId: origin.requestId,
        payload: orderPlacedV1.parse({
          orderId: order.id,
          customerId: order.customerId,
          currency: order.currency,
          items: request.items,
          totalCents: order.totalCents,
          placedAt: order.placedAt.toISOString(),
        }),
      });
    });
    return order;
  }
}
