import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { StoredEvent } from '@faultline/shared/event-store';
import { OutboxMessage } from '@faultline/shared/outbox';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem } from '@faultline/shared/testing';
import { anOrder, postJson, startOrdersDirectly } from '../testing/orders-under-test.js';

describe('POST /orders with an Idempotency-Key', () => {
  let service: RunningService;
  let dataSource: DataSource;
  const ordersUrl = () => `${service.url}/orders`;

  before(async () => {
    service = await startOrdersDirectly();
    dataSource = service.app.get(DataSource);
  });
  after(() => service?.app.close());

  const writesFor = async (orderId: string) => ({
    events: await dataSource.getRepository(StoredEvent).countBy({ streamId: orderId }),
    outboxRows: await dataSource.getRepository(OutboxMessage).countBy({ aggregateId: orderId }),
  });

  it('answers a request without the header, or with an unusable key, with a 400 problem naming the header', async () => {
    for (const key of [null, 'k'.repeat(256)]) {
      const problem = await expectProblem(await postJson(ordersUrl(), anOrder(), key), 400);
      assert.equal(problem.type, 'urn:faultline:problem:idempotency-key-required');
      assert.match(problem.detail, /Idempotency-Key header/);
    }
  });

  it('refuses a string PostgreSQL cannot store (an unpaired surrogate, a NUL) with a 400 naming the field, and writes nothing', async () => {
    for (const sku of ['tea\ud800', '\udfff', 'tea\u0000']) {
      const customerId = randomUUID();
      const problem = await expectProblem(await postJson(ordersUrl(), { ...anOrder(sku), customerId }), 400);
      assert.equal(problem.type, 'urn:faultline:problem:validation');
      assert.deepEqual(
        (problem.errors ?? []).map(({ in: place, path }) => `${place}:${path}`),
        ['body:items.0.sku'],
        JSON.stringify(problem),
      );
      const rows = (await dataSource.query('SELECT count(*)::int AS n FROM orders WHERE customer_id = $1', [customerId])) as { n: number }[];
      assert.equal(rows[0]?.n, 0, 'no order written');
    }
  });

  it('answers a retry with the same key and body with the same status, body and headers, and places one order', async () => {
    const key = randomUUID();
    const first = await postJson(ordersUrl(), anOrder(), key);
    const retry = await postJson(ordersUrl(), anOrder(), key);
    assert.deepEqual([first.status, retry.status], [201, 201]);
    const placed = (await first.json()) as { orderId: string; version: number };
    assert.deepEqual(await retry.json(), placed);
    assert.equal(retry.headers.get('location'), first.headers.get('location'));
    assert.equal(retry.headers.get('etag'), '"1"');
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.deepEqual(await writesFor(placed.orderId), { events: 1, outboxRows: 1 });
  });

  it('refuses the same key with a different body with a 422 problem, and writes nothing', async () => {
    const key = randomUUID();
    const first = await postJson(ordersUrl(), anOrder('book'), key);
    const { orderId } = (await first.json()) as { orderId: string };
    const problem = await expectProblem(await postJson(ordersUrl(), anOrder('pen'), key), 422);
    assert.equal(problem.type, 'urn:faultline:problem:idempotency-key-reused');
    assert.match(problem.detail, new RegExp(key));
    assert.deepEqual(await writesFor(orderId), { events: 1, outboxRows: 1 });
  });

  it('places one order for concurrent requests with one key, and answers all of them with it', async () => {
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 8 }, () => postJson(ordersUrl(), anOrder(), key)));
    assert.deepEqual(
      responses.map((response) => response.status),
      responses.map(() => 201),
    );
    const orderIds = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { orderId: string }).orderId)));
    assert.equal(orderIds.size, 1);
    const [orderId = ''] = orderIds;
    assert.deepEqual(await writesFor(orderId), { events: 1, outboxRows: 1 });
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const key = randomUUID();
    const { customerId, currency, items } = anOrder();
    const first = await postJson(ordersUrl(), { customerId, currency, items }, key);
    const reordered = await postJson(ordersUrl(), { items, currency, customerId }, key);
    assert.equal(reordered.status, 201);
    assert.deepEqual(await reordered.json(), await first.json());
  });
});
