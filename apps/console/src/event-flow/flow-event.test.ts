import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentEvents, flowEventOf } from './flow-event.js';

const at = { topic: 'orders.order.events', partition: 2, offset: '41', timestamp: '1764806400000', key: 'order-1' };
const envelope = {
  eventId: '0193a2b4-7c1e-7000-8000-000000000001',
  type: 'orders.order.placed',
  schemaVersion: 2,
  aggregateType: 'order',
  aggregateId: 'order-1',
  sequence: 1,
  occurredAt: '2026-12-04T00:00:00.000Z',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  producer: { name: 'orders', version: '0.1.0' },
  payload: {},
};

describe('flowEventOf', () => {
  it('lists an envelope by type, aggregate, sequence and the trace of its traceparent', () => {
    assert.deepEqual(flowEventOf({ ...at, value: JSON.stringify(envelope) }), {
      topic: 'orders.order.events',
      partition: 2,
      offset: '41',
      appendedAt: 1764806400000,
      type: 'orders.order.placed',
      aggregateId: 'order-1',
      sequence: 1,
      correlationId: 'corr-1',
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
  });

  it('gives no trace for an event written without a traceparent', () => {
    assert.equal(flowEventOf({ ...at, value: JSON.stringify({ ...envelope, traceparent: undefined }) }).traceId, null);
  });

  it('lists a record that is not an envelope with the reason, under its key', () => {
    const notJson = flowEventOf({ ...at, value: '{oops' });
    assert.equal(notJson.type, null);
    assert.equal(notJson.aggregateId, 'order-1');
    assert.equal(notJson.problem, 'not JSON');
    const noType = flowEventOf({ ...at, value: JSON.stringify({ ...envelope, type: undefined }) });
    assert.match(noType.problem ?? '', /^not an event envelope \(type: /);
  });
});

describe('RecentEvents', () => {
  it('keeps the last events up to its capacity, oldest first', () => {
    const recent = new RecentEvents(2);
    for (const offset of ['1', '2', '3']) recent.add(flowEventOf({ ...at, offset, value: JSON.stringify(envelope) }));
    assert.deepEqual(recent.list().map((event) => event.offset), ['2', '3']);
  });
});
