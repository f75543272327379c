import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import type { RunningService } from '@faultline/shared/service-defaults';
import { eventually } from '@faultline/shared/testing';
import { OrderStream } from '../order/order-stream.js';
import { anOrder, ordersFetch, postJson, startOrdersDirectly } from '../testing/orders-under-test.js';
import { OrderFulfilmentSteps } from './order-fulfilment-steps.js';

// The saga's order steps on the real orders database: the same event store and outbox as POST /orders.
describe('order fulfilment steps', () => {
  let service: RunningService;
  let steps: OrderFulfilmentSteps;
  let dataSource: DataSource;
  const origin = { correlationId: 'order-fulfilment-steps-test', requestId: 'test' };

  before(async () => {
    service = await startOrdersDirectly();
    dataSource = service.app.get(DataSource);
    steps = new OrderFulfilmentSteps(dataSource, service.app.get(OrderStream), service.app.get<Clock>(CLOCK));
  });
  after(() => service?.app.close());

  const placeOrder = async (): Promise<string> => {
    const response = await postJson(`${service.url}/orders`, anOrder());
    assert.equal(response.status, 201);
    return ((await response.json()) as { orderId: string }).orderId;
  };
  const recorded = async (orderId: string) => {
    const events: { type: string; version: number }[] = await dataSource.query('SELECT type, version FROM events WHERE stream_id = $1 ORDER BY version', [orderId]);
    const outbox: { type: string; sequence: number }[] = await dataSource.query(
      'SELECT event_type AS type, sequence FROM outbox WHERE aggregate_id = $1 ORDER BY sequence',
      [orderId],
    );
    return { events: events.map((e) => `${e.version} ${e.type}`), outbox: outbox.map((o) => `${o.sequence} ${o.type}`) };
  };

  it('confirms and marks an order paid through the event store and the outbox, and takes a repeated step as done', async () => {
    const orderId = await placeOrder();
    const paymentId = randomUUID();
    assert.equal(await steps.apply({ kind: 'confirm-order', orderId, paymentId }, origin), undefined);
    assert.equal(await steps.apply({ kind: 'confirm-order', orderId, paymentId }, origin), undefined, 'a retried confirmation');
    assert.equal(await steps.apply({ kind: 'mark-order-paid', orderId, paymentId }, origin), undefined);
    const expected = ['1 orders.order.placed', '2 orders.order.confirmed', '3 orders.order.paid'];
    assert.deepEqual(await recorded(orderId), { events: expected, outbox: expected });
    const [row]: { status: string; version: number }[] = await dataSource.query('SELECT status, version FROM orders WHERE id = $1', [orderId]);
    assert.deepEqual(row, { status: 'paid', version: 3 });
    await eventually(async () => {
      const read = (await (await ordersFetch(`${service.url}/orders/${orderId}`)).json()) as { status?: string };
      return read.status === 'paid' ? true : undefined;
    }, { what: `order ${orderId} shown paid by GET /orders/:id` });
  });

  it('refuses to confirm a cancelled order, writing nothing, and rejects it as a no-op', async () => {
    const orderId = await placeOrder();
    assert.equal((await postJson(`${service.url}/orders/${orderId}/cancel`, { reason: 'changed my mind' })).status, 200);
    const refused = await steps.apply({ kind: 'confirm-order', orderId, paymentId: randomUUID() }, origin);
    assert.equal(refused?.code, 'order-not-confirmable');
    assert.equal(await steps.apply({ kind: 'reject-order', orderId, reason: 'order-not-confirmable' }, origin), undefined);
    const expected = ['1 orders.order.placed', '2 orders.order.cancelled'];
    assert.deepEqual(await recorded(orderId), { events: expected, outbox: expected });
  });

  it('rejects a placed order with its reason', async () => {
    const orderId = await placeOrder();
    assert.equal(await steps.apply({ kind: 'reject-order', orderId, reason: 'PaymentDeclined: card declined' }, origin), undefined);
    const expected = ['1 orders.order.placed', '2 orders.order.rejected'];
    assert.deepEqual(await recorded(orderId), { events: expected, outbox: expected });
  });
});
