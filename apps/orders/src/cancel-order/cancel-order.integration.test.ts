import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { ORDER_EVENTS_TOPIC, decodeEvent } from '@faultline/shared/contracts';
import { KafkaClient, type TopicWatcher } from '@faultline/shared/messaging';
import type { RunningService } from '@faultline/shared/service-defaults';
import { DataSource } from 'typeorm';
import { eventually, expectProblem } from '@faultline/shared/testing';
import { orderDecider } from '../order/order-decider.js';
import { OrderStream } from '../order/order-stream.js';
import { anOrder, ordersFetch, postJson, startOrdersDirectly, withToken } from '../testing/orders-under-test.js';

describe('POST /orders/:id/cancel', () => {
  let service: RunningService;
  let watcher: TopicWatcher;
  const url = (path: string) => `${service.url}${path}`;

  before(async () => {
    service = await startOrdersDirectly();
    watcher = await service.app.get(KafkaClient).watchTopic(ORDER_EVENTS_TOPIC);
  });
  after(async () => {
    await watcher?.stop();
    await service?.app.close();
  });

  const placeOrder = async (): Promise<string> => {
    const response = await postJson(url('/orders'), anOrder());
    assert.equal(response.status, 201);
    return ((await response.json()) as { orderId: string }).orderId;
  };
  const cancel = (orderId: string, key: string | null = randomUUID(), reason = 'changed my mind') =>
    postJson(url(`/orders/${orderId}/cancel`), { reason }, key);

  it('cancels a placed order at version 2, serves it back cancelled, and publishes placed then cancelled for its key', async () => {
    const orderId = await placeOrder();
    const response = await cancel(orderId);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { orderId, status: 'cancelled', version: 2 });
    assert.equal(response.headers.get('etag'), '"2"');

    // The cancellation's consistency token: the read waits for the projection or answers from the stream.
    const read = await ordersFetch(url(`/orders/${orderId}`), { headers: withToken(response) });
    assert.equal(read.headers.get('etag'), '"2"');
    const order = (await read.json()) as { status: string; version: number; cancellation: { reason: string } };
    assert.deepEqual([order.status, order.version, order.cancellation.reason], ['cancelled', 2, 'changed my mind']);

    await watcher.waitFor((m) => m.key === orderId && decodeEvent(JSON.parse(m.value ?? 'null')).sequence === 2, 15_000);
    const published = watcher.messages.filter((m) => m.key === orderId).map((m) => decodeEvent(JSON.parse(m.value ?? 'null')));
    assert.deepEqual(
      published.map((event) => [event.sequence, event.type]),
      [
        [1, 'orders.order.placed'],
        [2, 'orders.order.cancelled'],
      ],
    );
  });

  it('lets exactly one of several concurrent cancellations in and answers the others 409, leaving two events', async () => {
    const orderId = await placeOrder();
    const responses = await Promise.all(Array.from({ length: 6 }, (_, n) => cancel(orderId, randomUUID(), `reason ${n}`)));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409]);
    for (const response of responses.filter((r) => r.status === 409)) {
      const problem = await expectProblem(response, 409);
      assert.ok(
        ['urn:faultline:problem:concurrency-conflict', 'urn:faultline:problem:order-already-cancelled'].includes(problem.type),
        problem.type,
      );
    }
    const winner = responses.find((r) => r.status === 200);
    assert.ok(winner);
    const order = (await (await ordersFetch(url(`/orders/${orderId}`), { headers: withToken(winner) })).json()) as { version: number };
    assert.equal(order.version, 2);
  });

  it('answers 409 concurrency-conflict to a cancellation that read the order while another one was committing', async () => {
    const orderId = await placeOrder();
    const orders = service.app.get(OrderStream);
    const dataSource = service.app.get(DataSource);
    const origin = { requestId: 'test', correlationId: 'test' };

    // A first cancellation appends version 2 and holds its transaction open...
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended = (_pid: number): void => undefined;
    const firstPid = new Promise<number>((resolve) => (appended = resolve));
    const first = dataSource.transaction(async (tx) => {
      const order = await orders.load(tx, orderId);
      const decision = orderDecider.decide({ kind: 'cancel-order', orderId, reason: 'first', at: new Date() }, order.state);
      assert.ok(decision.accepted);
      const committed = await orders.commit(tx, order, decision.events, origin);
      const [{ pid }]: [{ pid: number }] = await tx.query('SELECT pg_backend_pid() AS pid');
      appended(pid);
      await held;
      return committed.token;
    });
    const pid = await firstPid;

    // ...so the HTTP one still reads version 1, decides, and waits on the first one's version 2.
    const second = cancel(orderId, randomUUID(), 'second');
    await eventually(
      async () => {
        const [{ blocked }]: [{ blocked: number }] = await dataSource.query(
          'SELECT count(*)::int AS blocked FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))',
          [pid],
        );
        return blocked > 0 ? true : undefined;
      },
      { what: 'the HTTP cancellation waiting on the held one' },
    );
    release();
    const firstToken = await first;
    const problem = await expectProblem(await second, 409);
    assert.equal(problem.type, 'urn:faultline:problem:concurrency-conflict');
    assert.match(problem.detail, new RegExp(`Order ${orderId} changed while this request was deciding`));
    const order = (await (await ordersFetch(url(`/orders/${orderId}`), { headers: { [CONSISTENCY_TOKEN_HEADER]: firstToken.toString() } })).json()) as {
      version: number;
      cancellation: { reason: string };
    };
    assert.deepEqual([order.version, order.cancellation.reason], [2, 'first']);
  });

  it('answers a retried cancellation with the stored 200, and a new cancellation of a cancelled order with 409', async () => {
    const orderId = await placeOrder();
    const key = randomUUID();
    const first = await cancel(orderId, key);
    const retry = await cancel(orderId, key);
    assert.deepEqual([first.status, retry.status], [200, 200]);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    const again = await expectProblem(await cancel(orderId), 409);
    assert.equal(again.type, 'urn:faultline:problem:order-already-cancelled');
    assert.match(again.detail, /already cancelled at/);
  });

  it('cancels only the version named by If-Match, answering 412 when the order is at another one', async () => {
    const orderId = await placeOrder();
    const withIfMatch = (etag: string) =>
      ordersFetch(url(`/orders/${orderId}/cancel`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), 'if-match': etag },
        body: JSON.stringify({ reason: 'changed my mind' }),
      });
    const stale = await expectProblem(await withIfMatch('"7"'), 412);
    assert.equal(stale.type, 'urn:faultline:problem:precondition-failed');
    assert.match(stale.detail, /is at ETag "1", not "7"/);
    assert.equal((await withIfMatch('"1"')).status, 200);
  });

  it('answers 404 for an order that does not exist, and 400 without an Idempotency-Key or a reason', async () => {
    const missing = await expectProblem(await cancel(randomUUID()), 404);
    assert.match(missing.detail, /no order with id/);
    const orderId = await placeOrder();
    const noKey = await expectProblem(await cancel(orderId, null), 400);
    assert.equal(noKey.type, 'urn:faultline:problem:idempotency-key-required');
    const noReason = await expectProblem(await postJson(url(`/orders/${orderId}/cancel`), {}), 400);
    assert.deepEqual(noReason.errors?.map((e) => e.path), ['reason']);
  });
});
