import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource, type QueryRunner } from 'typeorm';
import { CONSISTENCY_TOKEN_HEADER, ConsistencyToken } from '@faultline/shared/consistency';
import type { RunningService } from '@faultline/shared/service-defaults';
import { eventually } from '@faultline/shared/testing';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ORDER_AGGREGATE, orderPlaced } from '@faultline/shared/contracts';
import { EventStore, type EventToAppend } from '@faultline/shared/event-store';
import { viewOfStream } from '../get-order/order-view.js';
import { OrderFulfilmentSteps } from '../order-fulfilment/order-fulfilment-steps.js';
import { OrderStream } from '../order/order-stream.js';
import { anOrder, ordersFetch, ordersFetchAs, postJson, startOrdersDirectly, withToken } from '../testing/orders-under-test.js';

/** How long these services let a read wait for a projection: short, so the fallback tests are quick. */
const READ_WAIT_MS = 300;

const tokenOf = (response: Response): ConsistencyToken => {
  const token = ConsistencyToken.parse(response.headers.get(CONSISTENCY_TOKEN_HEADER) ?? undefined);
  assert.ok(token instanceof ConsistencyToken, `expected a consistency token on a ${response.status} answer`);
  return token;
};

/**
 * Holds a projection behind, whatever instance of orders projects: the checkpoint row stays locked
 * by this transaction, and every projector waits on it. Deterministic, where a delay would race
 * with the undelayed projectors of other test files sharing the database.
 */
async function holdProjection(dataSource: DataSource, projection: string): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(
    `INSERT INTO projection_checkpoints (projection, position, updated_at) VALUES ($1, 0, now()) ON CONFLICT (projection) DO NOTHING`,
    [projection],
  );
  await runner.query(`SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`, [projection]);
  return runner;
}

async function release(runner: QueryRunner): Promise<void> {
  await runner.rollbackTransaction();
  await runner.release();
}

describe('order projections and consistency tokens (article 5)', () => {
  let service: RunningService;
  let naive: RunningService;
  let dataSource: DataSource;
  const url = (path: string) => `${service.url}${path}`;

  before(async () => {
    service = await startOrdersDirectly({ ORDERS_CONSISTENT_READ_WAIT_MS: String(READ_WAIT_MS) });
    naive = await startOrdersDirectly({ FAULTLINE_WORKSHOP_MODE: 'true', ORDERS_READS: 'naive' });
    dataSource = service.app.get(DataSource);
  });
  after(async () => {
    await naive?.app.close();
    await service?.app.close();
  });

  /** True when the projection's checkpoint has passed the event at `position`, in commit order. */
  const projected = async (projection: string, position: bigint): Promise<true | undefined> => {
    const [row] = (await dataSource.query(
      `SELECT (e.commit_order, e.position) <= (c.commit_order, c.position) AS covered
         FROM projection_checkpoints c, events e WHERE c.projection = $1 AND e.position = $2`,
      [projection, position.toString()],
    )) as { covered: boolean }[];
    return row?.covered === true ? true : undefined;
  };
  /** True when the event at `later` comes at or after the one at `earlier` in commit order. */
  const notBefore = async (later: ConsistencyToken, earlier: ConsistencyToken): Promise<boolean> => {
    const [row] = (await dataSource.query(
      `SELECT (l.commit_order, l.position) >= (e.commit_order, e.position) AS "notBefore" FROM events l, events e WHERE l.position = $1 AND e.position = $2`,
      [later.position.toString(), earlier.position.toString()],
    )) as { notBefore: boolean }[];
    return row?.notBefore === true;
  };

  it('answers every write with a consistency token, and the projections catch up with it and move their checkpoints', async () => {
    const customerId = randomUUID();
    const placed = await postJson(url('/orders'), { ...anOrder(), customerId });
    assert.equal(placed.status, 201);
    const { orderId } = (await placed.json()) as { orderId: string };
    const token = tokenOf(placed);

    for (const projection of ['order_details', 'customer_orders']) {
      await eventually(() => projected(projection, token.position), {
        what: `${projection}'s checkpoint reaching position ${token.position}`,
      });
    }
    const read = await ordersFetchAs(customerId)(url(`/orders/${orderId}`));
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('consistency'), 'eventual');
    assert.equal(((await read.json()) as { customerId: string }).customerId, customerId);
    assert.ok(await notBefore(tokenOf(read), token), "the read's token is not older than the write's");

    const list = await ordersFetchAs(customerId)(url(`/customers/${customerId}/orders`), { headers: withToken(placed) });
    assert.equal(list.headers.get('consistency'), 'current');
    const body = (await list.json()) as { orders: { orderId: string; version: number }[]; pending: boolean };
    assert.deepEqual([body.pending, body.orders.map((o) => [o.orderId, o.version])], [false, [[orderId, 1]]]);
  });

  it('never skips an event committed after a later position: the younger writer of the lower position still lands', async () => {
    const customerId = randomUUID();
    const placed = (orderId: string): EventToAppend => ({
      eventId: randomUUID(),
      ...orderPlaced.encode({ ...orderPlaced.schema.parse(orderPlaced.versions[1]?.example), orderId, customerId }),
      metadata: { correlationId: 'order-projector-test', causationId: 'test', producer: { name: 'orders', version: 'test' } },
      occurredAt: new Date(),
    });
    const [olderOrder, youngerOrder] = [randomUUID(), randomUUID()];
    const store = service.app.get(EventStore);
    const older = dataSource.createQueryRunner();
    const younger = dataSource.createQueryRunner();
    try {
      for (const runner of [older, younger]) {
        await runner.connect();
        await runner.startTransaction();
        // Takes the transaction's id now, as a command's first write does: older's before younger's.
        await runner.query('SELECT pg_current_xact_id()');
      }
      const [lower] = await store.append(younger.manager, { type: ORDER_AGGREGATE, id: youngerOrder }, 0, [placed(youngerOrder)]);
      const [higher] = await store.append(older.manager, { type: ORDER_AGGREGATE, id: olderOrder }, 0, [placed(olderOrder)]);
      assert.ok(lower && higher && BigInt(higher.position) > BigInt(lower.position), 'the older transaction holds the higher position');
      await older.commitTransaction();
      // Position order would now move both checkpoints past the younger transaction's lower position.
      for (const projection of ['order_details', 'customer_orders']) {
        await eventually(() => projected(projection, BigInt(higher.position)), { what: `${projection} applying the older transaction's order` });
      }
      await younger.commitTransaction();
    } finally {
      for (const runner of [older, younger]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const rowsOf = (table: string) => dataSource.query(`SELECT order_id AS "orderId" FROM ${table} WHERE customer_id = $1`, [customerId]);
    for (const table of ['order_details', 'customer_orders']) {
      const both = await eventually(async () => ((await rowsOf(table)).length === 2 ? true : undefined), { what: `both orders in ${table}` }).catch(
        () => false,
      );
      assert.ok(both, `${table} is missing the order committed second at the lower position: ${JSON.stringify(await rowsOf(table))}`);
    }
  });

  it("shows a paid order's cancellation as refund pending, then refunded, exactly as the event stream folds it", async () => {
    const customerId = randomUUID();
    const placed = await postJson(url('/orders'), { ...anOrder(), customerId });
    const { orderId } = (await placed.json()) as { orderId: string };
    const orders = service.app.get(OrderStream);
    const steps = new OrderFulfilmentSteps(dataSource, orders, service.app.get<Clock>(CLOCK));
    const origin = { correlationId: 'order-projector-test', requestId: 'test' };
    const paymentId = randomUUID();
    assert.equal(await steps.apply({ kind: 'confirm-order', orderId, paymentId }, origin), undefined);
    assert.equal(await steps.apply({ kind: 'mark-order-paid', orderId, paymentId }, origin), undefined);
    const cancelled = await postJson(url(`/orders/${orderId}/cancel`), { reason: 'changed my mind' }, undefined, customerId);
    assert.equal(cancelled.status, 200);

    /** GET /orders/:id from the caught-up projection, beside the view of the order's stream. */
    const projectedAndStreamed = async (write: Response) => {
      const read = await ordersFetchAs(customerId)(url(`/orders/${orderId}`), { headers: withToken(write) });
      assert.equal(read.headers.get('consistency'), 'current', 'answered by the projection');
      const { state, version } = await orders.load(dataSource.manager, orderId);
      assert.ok(state.status !== 'none');
      return { projected: (await read.json()) as Record<string, unknown>, streamed: viewOfStream(state, version) };
    };
    const pending = await projectedAndStreamed(cancelled);
    assert.deepEqual(pending.projected, pending.streamed);
    assert.deepEqual([pending.projected.status, pending.projected.refund], ['cancelled', { status: 'pending' }]);

    assert.equal(await steps.apply({ kind: 'record-refund', orderId, paymentId }, origin), undefined);
    const again = await postJson(url(`/orders/${orderId}/cancel`), { reason: 'twice' }, undefined, customerId);
    assert.equal(again.status, 409);
    const [{ token }]: [{ token: string }] = await dataSource.query(
      `SELECT max(position)::text AS token FROM events WHERE stream_id = $1`,
      [orderId],
    );
    const refunded = new Response(null, { headers: { [CONSISTENCY_TOKEN_HEADER]: ConsistencyToken.at(BigInt(token)).toString() } });
    const done = await projectedAndStreamed(refunded);
    assert.deepEqual(done.projected, done.streamed);
    assert.equal(done.projected.status, 'refunded');
    assert.deepEqual(Object.keys(done.projected.refund as object).sort(), ['refundedAt', 'status']);
    const list = (await (await ordersFetchAs(customerId)(url(`/customers/${customerId}/orders`), { headers: withToken(refunded) })).json()) as {
      orders: { orderId: string; status: string }[];
    };
    assert.deepEqual(list.orders.map((order) => [order.orderId, order.status]), [[orderId, 'refunded']]);
  });

  it('waits for a projection that is behind the token, then answers from the event stream, never older than the write', async () => {
    const placed = await postJson(url('/orders'), anOrder());
    const { orderId } = (await placed.json()) as { orderId: string };
    await eventually(() => projected('order_details', tokenOf(placed).position));

    const held = await holdProjection(dataSource, 'order_details');
    try {
      const cancelled = await postJson(url(`/orders/${orderId}/cancel`), { reason: 'changed my mind' });
      assert.equal(cancelled.status, 200);

      const stale = await ordersFetch(url(`/orders/${orderId}`));
      assert.equal(((await stale.json()) as { status: string }).status, 'placed', 'without a token the projection answers as it is');

      const started = performance.now();
      const read = await ordersFetch(url(`/orders/${orderId}`), { headers: withToken(cancelled) });
      const waited = performance.now() - started;
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('consistency'), 'source-of-truth');
      assert.equal(read.headers.get('etag'), '"2"');
      assert.equal(((await read.json()) as { status: string }).status, 'cancelled');
      assert.ok(waited >= READ_WAIT_MS - 20, `the read waited ${waited.toFixed(0)} ms for the projection first`);
      assert.ok(tokenOf(read).position >= tokenOf(cancelled).position, 'the answer carries a token no older than the one sent');
    } finally {
      await release(held);
    }
  });

  it('marks a customer list pending when its projection is still behind the token after the wait', async () => {
    const customerId = randomUUID();
    const held = await holdProjection(dataSource, 'customer_orders');
    try {
      const placed = await postJson(url('/orders'), { ...anOrder(), customerId });
      const list = await ordersFetchAs(customerId)(url(`/customers/${customerId}/orders`), { headers: withToken(placed) });
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('consistency'), 'pending');
      assert.deepEqual(await list.json(), { customerId, orders: [], pending: true });
    } finally {
      await release(held);
    }
  });

  it('exposes how far each projection trails the event store on /metrics', async () => {
    const held = await holdProjection(dataSource, 'order_details');
    try {
      await postJson(url('/orders'), anOrder());
      const metrics = await (await ordersFetch(url('/metrics'))).text();
      const lagEvents = /^projection_lag_events\{[^}]*projection="order_details"[^}]*\} (\d+)/m.exec(metrics);
      const lagSeconds = /^projection_lag_seconds\{[^}]*projection="order_details"[^}]*\} ([\d.e-]+)/m.exec(metrics);
      assert.ok(lagEvents && Number(lagEvents[1]) >= 1, 'projection_lag_events counts the unprojected order');
      assert.ok(lagSeconds && Number(lagSeconds[1]) >= 0, 'projection_lag_seconds is exposed');
    } finally {
      await release(held);
    }
  });

  it('in naive reads (workshop), ignores the token and answers from the lagging projection: the caller misses its own write', async () => {
    const held = await holdProjection(dataSource, 'order_details');
    try {
      const placed = await postJson(`${naive.url}/orders`, anOrder());
      const read = await ordersFetch(`${naive.url}/orders/${((await placed.json()) as { orderId: string }).orderId}`, { headers: withToken(placed) });
      assert.equal(read.status, 404);
      assert.equal(read.headers.get('consistency'), 'eventual');
    } finally {
      await release(held);
    }
  });

  it('refuses a token it did not issue with a 400 problem that says to send the header back as received', async () => {
    const { orderId } = (await (await postJson(url('/orders'), anOrder())).json()) as { orderId: string };
    const response = await ordersFetch(url(`/orders/${orderId}`), { headers: { [CONSISTENCY_TOKEN_HEADER]: 'p1.forged' } });
    assert.equal(response.status, 400);
    const problem = (await response.json()) as { type: string; detail: string };
    assert.equal(problem.type, 'urn:faultline:problem:invalid-consistency-token');
    assert.match(problem.detail, /exactly as received/);
  });
});
