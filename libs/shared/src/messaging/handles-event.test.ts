import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetadataScanner } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { ListenerMetadataExplorer } from '@nestjs/microservices/listener-metadata-explorer.js';
import { orderCancelled, orderPlaced, type EventEnvelope, type OrderPlaced } from '../contracts/index.js';
import { OrderEventStream } from '../testing/order-event-stream.js';
import { ConsumedEventContext } from './consumed-event-context.js';
import { HandlesEvent } from './handles-event.js';

class PlacedOrders {
  readonly handled: { orderId: string; context: ConsumedEventContext }[] = [];

  @HandlesEvent(orderPlaced)
  async placed(@Payload() event: EventEnvelope<OrderPlaced>, @Ctx() context: ConsumedEventContext): Promise<void> {
    this.handled.push({ orderId: event.payload.orderId, context });
  }
}

const stream = new OrderEventStream({ customerId: '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f', total: { amountMinor: 500, currency: 'EUR' }, correlationId: 'test' });
const placed = stream.placed('2026-11-28T18:45:00.000Z');
const context = new ConsumedEventContext([undefined as never, undefined as never]);

describe('@HandlesEvent', () => {
  it("registers the method as Nest's event handler for the contract's type", () => {
    const listeners = new ListenerMetadataExplorer(new MetadataScanner()).explore(new PlacedOrders());
    assert.deepEqual(
      listeners.map(({ methodKey, isEventHandler, patterns }) => ({ methodKey, isEventHandler, patterns })),
      [{ methodKey: 'placed', isEventHandler: true, patterns: [orderPlaced.type] }],
    );
  });

  it('hands the method an event of its type, with the consumer context', async () => {
    const handler = new PlacedOrders();
    await handler.placed(placed, context);
    assert.deepEqual(handler.handled, [{ orderId: stream.orderId, context }]);
  });

  it('refuses an event of another type before the method runs, naming both types', async () => {
    const handler = new PlacedOrders();
    await assert.rejects(handler.placed({ ...placed, type: orderCancelled.type }, context), new Error(`${orderCancelled.type} routed to the ${orderPlaced.type} handler`));
    assert.deepEqual(handler.handled, []);
  });
});
