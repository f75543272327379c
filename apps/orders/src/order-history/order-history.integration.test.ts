import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { REPLICA_TOKEN_HEADER, ReplicaReplayControl } from '@faultline/shared/consistency';
import type { RunningService } from '@faultline/shared/service-defaults';
import { eventually, requireReachable } from '@faultline/shared/testing';
import { env, ordersFetchAs, postJson, startOrdersDirectly } from '../testing/orders-under-test.js';

const replay = new ReplicaReplayControl({
  host: '127.0.0.1',
  port: Number(env.PG_REPLICA_PORT),
  user: env.PG_SUPERUSER ?? 'postgres',
  password: env.PG_SUPERUSER_PASSWORD ?? '',
});

// Article 7 on the real streaming replica: the order history is a routed read. Replay is paused
// with the superuser to make the replica lag, and ALWAYS resumed (the replica is shared).
describe('order history routed between primary and replica', () => {
  let service: RunningService;
  const customerId = randomUUID();

  const place = async () => {
    const response = await postJson(`${service.url}/orders`, { customerId, currency: 'EUR', items: [{ sku: 'lamp', quantity: 1, unitPriceCents: 4_200 }] });
    assert.equal(response.status, 201);
    const token = response.headers.get(REPLICA_TOKEN_HEADER);
    assert.match(token ?? '', /^[0-9A-F]+\/[0-9A-F]+$/, 'placing an order returns its replica token');
    return { orderId: ((await response.json()) as { orderId: string }).orderId, token: token ?? '' };
  };
  const history = async (token?: string) => {
    const response = await ordersFetchAs(customerId)(`${service.url}/customers/${customerId}/order-history`, {
      headers: token ? { [REPLICA_TOKEN_HEADER]: token } : {},
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { orders: { orderId: string; status: string }[] };
    return { orderIds: body.orders.map((o) => o.orderId), servedBy: response.headers.get('x-served-by') };
  };

  before(async () => {
    await requireReachable('the PostgreSQL replica for orders (through Toxiproxy)', Number(env.TOXIPROXY_ORDERS_PG_REPLICA_PORT));
    await requireReachable('the PostgreSQL replica (direct, to pause replay)', Number(env.PG_REPLICA_PORT));
    await replay.resume();
    // A lag threshold far above this test's pause, so the read without a token shows what the
    // replica holds instead of being sent to the primary for lagging.
    service = await startOrdersDirectly({ ORDERS_REPLICA_MAX_LAG_SECONDS: '600' });
  });
  after(async () => {
    await replay.resume();
    await service?.app.close();
  });

  it('includes a just-placed order when the read carries its token, from the primary while replay is paused', async () => {
    assert.equal(await replay.pause(), 'paused');
    const { placed, withToken, withoutToken } = await (async () => {
      try {
        const write = await place();
        return { placed: write, withToken: await history(write.token), withoutToken: await history() };
      } finally {
        await replay.resume();
      }
    })();
    assert.deepEqual(withToken, { orderIds: [placed.orderId], servedBy: 'primary' });
    assert.deepEqual(withoutToken, { orderIds: [], servedBy: 'replica' }, 'without a token the paused replica answers, without the order');
  });

  it('answers from the replica once it has replayed the write the token names', async () => {
    const { orderId, token } = await place();
    const read = await eventually(async () => {
      const attempt = await history(token);
      return attempt.servedBy === 'replica' ? attempt : undefined;
    });
    assert.ok(read.orderIds.includes(orderId));
  });

  it('returns a replica token on cancellation too', async () => {
    const { orderId } = await place();
    const cancelled = await postJson(`${service.url}/orders/${orderId}/cancel`, { reason: 'changed my mind' }, undefined, customerId);
    assert.equal(cancelled.status, 200, await cancelled.clone().text());
    assert.match(cancelled.headers.get(REPLICA_TOKEN_HEADER) ?? '', /^[0-9A-F]+\/[0-9A-F]+$/);
  });
});
