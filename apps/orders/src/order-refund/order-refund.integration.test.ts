import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { ORDER_EVENTS_TOPIC, ORDER_REFUNDED, decodeEvent } from '@faultline/shared/contracts';
import { KafkaClient, type OrderedProducer, type TopicWatcher } from '@faultline/shared/messaging';
import type { RunningService } from '@faultline/shared/service-defaults';
import { ServiceProcess, eventually, expectProblem, requireReachable } from '@faultline/shared/testing';
import { anOrder, env, ordersFetch, ordersFetchAs, postJson, startOrdersDirectly, withToken } from '../testing/orders-under-test.js';
import { OrderRefundStarter } from './order-refund-starter.js';
import { refundIdempotencyKey } from './refund-activities.js';

const run = randomUUID().slice(0, 8);
// The saga's consumer reads a topic of this file's own, fed only with this file's orders (see
// relayOwnOrders): on orders.order.events itself it would start workflows for every other test's orders.
const starterTopic = `test.orders-fulfilment.${run}`;

/** The provider's record of one Idempotency-Key (`GET /v1/requests/{key}`). */
interface ProviderRequest {
  operation: string;
  status: 'succeeded' | 'failed';
  response: { id?: string; status?: string | number };
}

// place → paid → cancel → refunded, on the real orders AppModule (its saga worker on a task queue of
// its own), Temporal, Kafka and PostgreSQL, with billing and the payment provider simulator as the
// processes an operator runs. The provider's faults make billing's first refund attempts fail.
describe('refund of a cancelled paid order', () => {
  let provider: ServiceProcess;
  let billing: ServiceProcess;
  let orders: RunningService;
  let watcher: TopicWatcher;
  let kafka: KafkaClient;
  let producer: OrderedProducer;
  const ownOrders = new Set<string>();
  const relayed = new Set<string>();
  let relaying: Promise<void> | undefined;
  let stopRelay = false;

  const admin = async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${provider.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };

  before(async () => {
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    const direct = {
      TOXIPROXY_BILLING_PG_PORT: env.PG_PRIMARY_PORT ?? '',
      TOXIPROXY_BILLING_PG_REPLICA_PORT: env.PG_REPLICA_PORT ?? '',
      TOXIPROXY_KAFKA_PORT: env.KAFKA_PORT ?? '',
    };
    provider = await ServiceProcess.start({
      app: 'payment-provider',
      port: 'free',
      logName: 'test-order-refund-payment-provider',
      env: (port) => ({ PAYMENT_PROVIDER_HTTP_PORT: String(port), LOG_LEVEL: 'error' }),
    });
    // Tokens are not what this file is about: billing lets orders' calls through (FAULTLINE_AUTH=off),
    // and orders sends none (its serviceTokens are unset below); billing's own tests prove the check.
    billing = await ServiceProcess.start({
      app: 'billing',
      port: 'free',
      logName: 'test-order-refund-billing',
      env: (port) => ({
        ...direct,
        BILLING_HTTP_PORT: String(port),
        PAYMENT_PROVIDER_HTTP_PORT: String(provider.port),
        FAULTLINE_AUTH: 'off',
        BILLING_RUN_TASK_QUEUE: `billing-runs-order-refund-test-${run}`,
        // The breaker stays closed: this file is about the refund's retries, not article 1's breaker.
        BILLING_PROVIDER_BREAKER_MINIMUM_CALLS: '1000',
        LOG_LEVEL: 'error',
      }),
    });
    kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT}`] }, `orders-refund-test-${run}`, pino({ level: 'silent' }));
    await kafka.ensureTopics([{ topic: starterTopic, numPartitions: 3 }]);
    orders = await startOrdersDirectly(
      { ORDERS_FULFILMENT: 'saga', ORDERS_FULFILMENT_TASK_QUEUE: `order-refund-test-${run}`, BILLING_HTTP_PORT: String(billing.port) },
      (settings) => {
        settings.fulfilment.starter = { name: `orders-fulfilment-test-${run}`, topics: [starterTopic] };
        settings.serviceTokens = undefined;
      },
    );
    producer = kafka.createOrderedProducer();
    watcher = await kafka.watchTopic(ORDER_EVENTS_TOPIC);
    relaying = relayOwnOrders();
    const [starter] = orders.consumers;
    assert.ok(starter, 'orders declares the saga starter consumer');
    await starter.whenConsuming();
  });

  after(async () => {
    stopRelay = true;
    await relaying;
    await watcher?.stop();
    await kafka?.disconnect();
    await orders?.app.close();
    await billing?.stop();
    await provider?.stop();
  });

  /** Copies this file's orders' records, as orders published them and in their order, to the starter's topic. */
  async function relayOwnOrders(): Promise<void> {
    while (!stopRelay) {
      for (const message of watcher.messages) {
        const id = `${message.partition}:${message.offset}`;
        if (message.key === null || !ownOrders.has(message.key) || relayed.has(id)) continue;
        await producer.send(starterTopic, [{ key: message.key, value: message.value ?? '', headers: message.headers }]);
        relayed.add(id);
      }
      await sleep(50);
    }
  }

  const published = (orderId: string) =>
    watcher.messages.filter((m) => m.key === orderId).map((m) => decodeEvent(JSON.parse(m.value ?? 'null')));

  /** Places an order through POST /orders and waits until the fulfilment saga has it paid. */
  async function paidOrder(): Promise<{ orderId: string; authorizationId: string }> {
    const response = await postJson(`${orders.url}/orders`, anOrder());
    assert.equal(response.status, 201);
    const { orderId } = (await response.json()) as { orderId: string };
    ownOrders.add(orderId);
    await eventually(async () => (published(orderId).some((event) => event.type === 'orders.order.paid') ? true : undefined), {
      timeoutMs: 60_000,
      what: `order ${orderId} paid by the fulfilment saga`,
    });
    const [authorization] = await authorizationsFor(orderId);
    assert.equal(authorization?.status, 'captured');
    assertOneFlow(orderId, ['orders.order.placed', 'orders.order.confirmed', 'orders.order.paid'], 'order');
    return { orderId, authorizationId: authorization.id };
  }

  /**
   * The events the saga wrote kept the correlationId of the event that started it, and name the
   * activity that wrote them as their cause (`<workflowId>/<activityType>/<activityId>`).
   */
  function assertOneFlow(orderId: string, types: string[], workflow: 'order' | 'order-refund'): void {
    const [first, ...caused] = published(orderId).filter((event) => types.includes(event.type));
    assert.deepEqual([first, ...caused].map((event) => event?.type), types);
    for (const event of caused) {
      assert.equal(event.correlationId, first?.correlationId, `${event.type} keeps the correlationId of ${first?.type}`);
      assert.match(event.causationId, new RegExp(`^${workflow}-${orderId}/\\w+/\\d+$`), `${event.type} names its activity as its cause`);
    }
  }

  const authorizationsFor = async (orderId: string) =>
    ((await admin('GET', `/v1/authorizations?orderReference=${orderId}`)) as { items: { id: string; status: string }[] }).items;

  const cancel = (orderId: string) => postJson(`${orders.url}/orders/${orderId}/cancel`, { reason: 'changed my mind' });

  async function refunded(orderId: string): Promise<void> {
    await watcher.waitFor((m) => m.key === orderId && decodeEvent(JSON.parse(m.value ?? 'null')).type === ORDER_REFUNDED, 60_000);
  }

  /**
   * What the provider holds after the refund: the order's one authorization, refunded, and its record
   * of billing's key for the refund — derived from orders' key as `billing:refund:<key>` — a success
   * that refunded that authorization. A refund sent again under another key would find the
   * authorization already refunded: a 409, and no `orders.order.refunded`.
   */
  async function assertRefundedOnceAtProvider(orderId: string, authorizationId: string): Promise<void> {
    assert.deepEqual((await authorizationsFor(orderId)).map(({ id, status }) => [id, status]), [[authorizationId, 'refunded']]);
    const record = (await admin('GET', `/v1/requests/${encodeURIComponent(`billing:refund:${refundIdempotencyKey(orderId)}`)}`)) as ProviderRequest;
    assert.deepEqual([record.operation, record.status, record.response.id, record.response.status], ['refund', 'succeeded', authorizationId, 'refunded']);
    const types = published(orderId).map((event) => event.type);
    assert.deepEqual(types, ['orders.order.placed', 'orders.order.confirmed', 'orders.order.paid', 'orders.order.cancelled', 'orders.order.refunded']);
  }

  it('answers the cancellation of a paid order 200 with refund pending, then refunds it and shows it refunded', async () => {
    const { orderId, authorizationId } = await paidOrder();
    const response = await cancel(orderId);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { orderId, status: 'cancelled', version: 4, refund: 'pending' });
    const pending = (await (await ordersFetch(`${orders.url}/orders/${orderId}`, { headers: withToken(response) })).json()) as Record<string, unknown>;
    assert.deepEqual([pending.status, pending.refund], ['cancelled', { status: 'pending' }]);

    await refunded(orderId);
    await assertRefundedOnceAtProvider(orderId, authorizationId);
    assertOneFlow(orderId, ['orders.order.cancelled', 'orders.order.refunded'], 'order-refund');
    const shown = await eventually(
      async () => {
        const order = (await (await ordersFetch(`${orders.url}/orders/${orderId}`)).json()) as { status: string; version: number; refund?: object };
        return order.status === 'refunded' ? order : undefined;
      },
      { what: `order ${orderId} shown refunded` },
    );
    assert.equal(shown.version, 5);
    assert.deepEqual(Object.keys(shown.refund ?? {}).sort(), ['refundedAt', 'status']);
    assert.equal(await orders.app.get(OrderRefundStarter).start({ orderId, paymentId: randomUUID() }), 'already-started', 'one refund per order');
    assert.equal((await expectProblem(await cancel(orderId), 409)).type, 'urn:faultline:problem:order-already-cancelled');
  });

  it('refunds once when the provider refunds and its answer is lost on every attempt of billing: the retry with the same key gets it replayed', async () => {
    const { orderId, authorizationId } = await paidOrder();
    await admin('POST', '/admin/stats/reset');
    // Billing's three attempts of the first refund request: the first refunds, each answer is cut.
    await admin('PUT', '/admin/faults', { dropResponseAfterCommit: true, times: 3 });
    assert.equal((await cancel(orderId)).status, 200);
    await refunded(orderId);
    const stats = (await admin('GET', '/admin/stats')) as { byOperation: { refund: number }; faultsApplied: Record<string, number> };
    assert.equal(stats.faultsApplied['drop-response'], 3, 'the provider cut three answers');
    assert.ok(stats.byOperation.refund >= 4, `the workflow's retry reached the provider after billing's three attempts (${stats.byOperation.refund} refund requests)`);
    await assertRefundedOnceAtProvider(orderId, authorizationId);
  });

  it('refunds once when the provider fails the first refund attempts before any effect', async () => {
    const { orderId, authorizationId } = await paidOrder();
    await admin('POST', '/admin/stats/reset');
    await admin('PUT', '/admin/faults', { errorRate: 1, times: 3 });
    assert.equal((await cancel(orderId)).status, 200);
    await refunded(orderId);
    const stats = (await admin('GET', '/admin/stats')) as { byOperation: { refund: number }; faultsApplied: Record<string, number> };
    assert.equal(stats.faultsApplied.error, 3, 'the provider failed three refund requests');
    await assertRefundedOnceAtProvider(orderId, authorizationId);
  });

  it("refuses another customer's cancellation of a paid order with 404, and refunds nothing", async () => {
    const { orderId } = await paidOrder();
    const response = await ordersFetchAs(randomUUID())(`${orders.url}/orders/${orderId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ reason: 'not mine' }),
    });
    await expectProblem(response, 404);
    await sleep(1_000);
    assert.deepEqual(published(orderId).map((event) => event.type), ['orders.order.placed', 'orders.order.confirmed', 'orders.order.paid']);
    assert.deepEqual((await authorizationsFor(orderId)).map((a) => a.status), ['captured']);
  });
});
