import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORDER_CANCELLED, ORDER_PLACED } from '@faultline/shared/contracts';
import type { Decision } from '@faultline/shared/event-store';
import type { OrderCommand, OrderEvent, OrderRejection, OrderState } from './order.js';
import { orderDecider } from './order-decider.js';

const orderId = '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f';
const customerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';
const placedAt = new Date('2026-11-28T18:00:00.000Z');
const cancelledAt = new Date('2026-11-28T19:00:00.000Z');

const place: Extract<OrderCommand, { kind: 'place-order' }> = {
  kind: 'place-order',
  orderId,
  customerId,
  currency: 'EUR',
  lines: [
    { sku: 'book', quantity: 2, unitPriceMinor: 1_250 },
    { sku: 'pen', quantity: 1, unitPriceMinor: 300 },
  ],
  at: placedAt,
};
const cancel: Extract<OrderCommand, { kind: 'cancel-order' }> = { kind: 'cancel-order', orderId, reason: 'changed my mind', at: cancelledAt };

function events(decision: Decision<OrderEvent, OrderRejection>): readonly OrderEvent[] {
  assert.ok(decision.accepted, `expected the command to be accepted, got ${JSON.stringify(decision)}`);
  return decision.events;
}

function rejection(decision: Decision<OrderEvent, OrderRejection>): OrderRejection {
  assert.ok(!decision.accepted, 'expected the command to be rejected');
  return decision.rejection;
}

const fold = (history: readonly OrderEvent[]): OrderState => history.reduce(orderDecider.evolve, orderDecider.initialState);
const placed = () => fold(events(orderDecider.decide(place, orderDecider.initialState)));

describe('order decider', () => {
  it('places a new order with its lines and a total in minor units, at the time the command carries', () => {
    const [event] = events(orderDecider.decide(place, orderDecider.initialState));
    assert.equal(event?.type, ORDER_PLACED);
    assert.deepEqual(event.payload, {
      orderId,
      customerId,
      lines: place.lines,
      total: { amountMinor: 2_800, currency: 'EUR' },
      placedAt: '2026-11-28T18:00:00.000Z',
    });
  });

  it('refuses to place an order that already exists', () => {
    assert.equal(rejection(orderDecider.decide(place, placed())).code, 'order-already-placed');
  });

  it('cancels a placed order, recording the reason and the time', () => {
    const history = events(orderDecider.decide(cancel, placed()));
    assert.deepEqual(history, [
      { type: ORDER_CANCELLED, payload: { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' } },
    ]);
    const state = orderDecider.evolve(placed(), history[0] ?? assert.fail('no event'));
    assert.equal(state.status, 'cancelled');
  });

  it('refuses to cancel an order that does not exist, naming it', () => {
    const refused = rejection(orderDecider.decide(cancel, orderDecider.initialState));
    assert.equal(refused.code, 'order-not-found');
    assert.match(refused.reason, new RegExp(orderId));
  });

  it('refuses to cancel an order twice, saying when it was cancelled', () => {
    const cancelled = fold([...events(orderDecider.decide(place, orderDecider.initialState)), ...events(orderDecider.decide(cancel, placed()))]);
    const refused = rejection(orderDecider.decide({ ...cancel, at: new Date('2026-11-28T20:00:00.000Z') }, cancelled));
    assert.equal(refused.code, 'order-already-cancelled');
    assert.match(refused.reason, /already cancelled at 2026-11-28T19:00:00.000Z/);
  });

  it('rebuilds the cancelled state, keeping the facts of the placement, from the events alone', () => {
    const state = fold([...events(orderDecider.decide(place, orderDecider.initialState)), ...events(orderDecider.decide(cancel, placed()))]);
    assert.deepEqual(state, {
      status: 'cancelled',
      orderId,
      customerId,
      lines: place.lines,
      total: { amountMinor: 2_800, currency: 'EUR' },
      placedAt: '2026-11-28T18:00:00.000Z',
      cancellation: { reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' },
    });
  });

  it('refuses to fold a cancellation into an order that was never placed, since that stream is corrupt', () => {
    assert.throws(() => fold(events(orderDecider.decide(cancel, placed()))), /cancelled before it was placed/);
  });
});
