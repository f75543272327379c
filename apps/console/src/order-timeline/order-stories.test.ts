import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowEvent } from '../console-api.js';
import { OrderStories } from './order-stories.js';

const event = (aggregateId: string, type: string, correlationId: string | null, offset: string): FlowEvent => ({
  topic: type.startsWith('billing') ? 'billing.payment.events' : 'orders.order.events',
  partition: 0,
  offset,
  appendedAt: Number(offset),
  type,
  aggregateId,
  sequence: 1,
  correlationId,
  traceId: null,
});

describe('OrderStories', () => {
  it("tells an order's story: its own events and those of its correlation from other aggregates, in arrival order", () => {
    const stories = new OrderStories(10);
    stories.add(event('order-1', 'orders.order.placed', 'corr-1', '1'));
    stories.add(event('order-2', 'orders.order.placed', 'corr-2', '2'));
    stories.add(event('payment-9', 'billing.payment.authorized', 'corr-1', '3'));
    stories.add(event('order-1', 'orders.order.paid', 'corr-1', '4'));
    assert.deepEqual(
      stories.storyOf('order-1').map((e) => e.type),
      ['orders.order.placed', 'billing.payment.authorized', 'orders.order.paid'],
    );
    assert.deepEqual(stories.storyOf('order-3'), []);
  });

  it('forgets the oldest correlation past its capacity, with the aggregates that pointed at it', () => {
    const stories = new OrderStories(2);
    stories.add(event('order-1', 'orders.order.placed', 'corr-1', '1'));
    stories.add(event('order-2', 'orders.order.placed', 'corr-2', '2'));
    stories.add(event('order-3', 'orders.order.placed', 'corr-3', '3'));
    assert.deepEqual(stories.storyOf('order-1'), []);
    assert.equal(stories.storyOf('order-3').length, 1);
  });

  it('keeps no story for an event without a correlation id (not an envelope)', () => {
    const stories = new OrderStories(2);
    stories.add(event('order-1', 'orders.order.placed', null, '1'));
    assert.deepEqual(stories.storyOf('order-1'), []);
  });
});
