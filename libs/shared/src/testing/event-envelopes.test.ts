import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEvent, orderCancelled, orderPlaced } from '../contracts/index.js';
import { buildEnvelope } from './event-envelopes.js';
import { ORDERS_PRODUCER, OrderEventStream } from './order-event-stream.js';

const orderId = '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f';
const customerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';
const fields = {
  aggregateId: orderId,
  sequence: 3,
  occurredAt: '2026-11-28T19:00:00.000Z',
  correlationId: 'test-run',
  causationId: 'test-cause',
  producer: ORDERS_PRODUCER,
};

describe('event envelopes for tests, scenarios and chaos runs', () => {
  it("builds an event at its contract's newest schemaVersion, with the sequence and instant the caller gives", () => {
    const cancelled = buildEnvelope(orderCancelled, { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' }, fields);
    assert.deepEqual({ ...cancelled, eventId: undefined }, {
      eventId: undefined,
      type: 'orders.order.cancelled',
      schemaVersion: 1,
      aggregateType: 'order',
      aggregateId: orderId,
      sequence: 3,
      occurredAt: '2026-11-28T19:00:00.000Z',
      correlationId: 'test-run',
      causationId: 'test-cause',
      producer: { name: 'orders', version: '1.0.0' },
      payload: { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' },
    });
    assert.doesNotThrow(() => decodeEvent(cancelled));
  });

  it('builds an older schemaVersion when asked, as an old producer publishes it, and consumers upcast it', () => {
    const v1 = { orderId, customerId, currency: 'EUR', items: [{ sku: 'book', quantity: 2, unitPriceCents: 1_250 }], totalCents: 2_500, placedAt: '2026-11-28T18:45:00.000Z' };
    const placed = buildEnvelope(orderPlaced, v1, { ...fields, sequence: 1, schemaVersion: 1 });
    assert.equal(placed.schemaVersion, 1);
    assert.deepEqual(placed.payload, v1);
    assert.deepEqual(decodeEvent(placed).payload, orderPlaced.versions[0]?.upcastToNext?.(v1));
  });

  it("refuses a payload its contract's schemaVersion does not allow, and a schemaVersion the contract does not have", () => {
    assert.throws(() => buildEnvelope(orderCancelled, { orderId, reason: '', cancelledAt: 'yesterday' }, fields));
    assert.throws(() => buildEnvelope(orderCancelled, {}, { ...fields, schemaVersion: 2 }), /orders\.order\.cancelled has no schemaVersion 2/);
  });

  it("numbers one order's events 1, 2, 3… as the order aggregate does", () => {
    const stream = new OrderEventStream({ customerId, total: { amountMinor: 900, currency: 'EUR' }, correlationId: 'test-run' });
    const events = [stream.placed('2026-11-28T18:45:00.000Z'), stream.confirmed('2026-11-28T18:45:01.000Z'), stream.paid('2026-11-28T18:45:02.000Z')];
    assert.deepEqual(events.map((event) => [event.type, event.sequence, event.aggregateId, event.causationId]), [
      ['orders.order.placed', 1, stream.orderId, 'test-run'],
      ['orders.order.confirmed', 2, stream.orderId, 'test-run'],
      ['orders.order.paid', 3, stream.orderId, 'test-run'],
    ]);
    for (const event of events) assert.doesNotThrow(() => decodeEvent(event));
  });
});
