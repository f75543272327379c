import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ORDER_EVENTS_TOPIC, decodeEvent, orderPlaced } from '@faultline/shared/contracts';
import { KafkaClient } from '@faultline/shared/messaging';
import { OutboxMessage } from '@faultline/shared/outbox';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { eventually, expectProblem, itBehavesLikeAFaultlineService, requireReachable } from '@faultline/shared/testing';
import { AppModule } from './app.module.js';
import { loadOrdersSettings } from './config.js';
import { ordersFetch, tokenEnvironment, userToken, withToken } from './testing/orders-under-test.js';
import { version as uuidVersion } from 'uuid';

const env = readFaultlineEnvironment();
const customerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';

// The real AppModule on an ephemeral port, against the real PostgreSQL and Kafka through Toxiproxy.
describe('orders service', () => {
  let service: RunningService;
  const url = (path: string) => `${service.url}${path}`;

  before(async () => {
    await requireReachable('PostgreSQL for orders (through Toxiproxy)', Number(env.TOXIPROXY_ORDERS_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    // Without the fulfilment saga: this test is about orders' own plumbing, and a saga would move its orders on.
    const settings = loadOrdersSettings({ ...env, LOG_LEVEL: 'error', ORDERS_FULFILMENT: 'off', ...(await tokenEnvironment()) });
    settings.http.port = 0;
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(() => service?.app.close());

  itBehavesLikeAFaultlineService({
    baseUrl: () => service.url,
    documentedPaths: ['/orders', '/orders/{id}', '/orders/{id}/cancel', '/metrics'],
    jsonEndpoint: {
      method: 'POST',
      path: '/orders',
      invalidBody: { customerId, currency: 'eur', items: [{ sku: 'book', quantity: 0, unitPriceCents: 100 }] },
      invalidFields: ['currency', 'items.0.quantity'],
    },
    token: () => userToken(customerId),
    accessRules: true,
  });

  it('mints no token and publishes no signing key: tokens come from the identity provider', async () => {
    const body = JSON.stringify({ customerId });
    const headers = { 'content-type': 'application/json' };
    await expectProblem(await fetch(url('/auth/tokens'), { method: 'POST', headers, body }), 404);
    await expectProblem(await fetch(url('/admin/service-tokens'), { method: 'POST', headers, body: JSON.stringify({ audience: 'billing' }) }), 404);
    await expectProblem(await fetch(url('/.well-known/jwks.json')), 404);
  });

  it('places an order, answers 201 with its id, status and version, and serves it back from its event stream', async () => {
    const response = await ordersFetch(url('/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        customerId,
        currency: 'EUR',
        items: [
          { sku: 'book', quantity: 2, unitPriceCents: 1_250 },
          { sku: 'pen', quantity: 1, unitPriceCents: 300 },
        ],
      }),
    });
    assert.equal(response.status, 201);
    const placed = (await response.json()) as { orderId: string; status: string; version: number };
    assert.deepEqual({ status: placed.status, version: placed.version }, { status: 'placed', version: 1 });
    assert.equal(response.headers.get('location'), `/orders/${placed.orderId}`);

    // With the write's consistency token the read shows at least this write (article 5).
    const read = await ordersFetch(url(`/orders/${placed.orderId}`), { headers: withToken(response) });
    assert.equal(read.status, 200);
    const order = (await read.json()) as Record<string, unknown>;
    assert.deepEqual(
      { ...order, placedAt: undefined },
      { orderId: placed.orderId, customerId, status: 'placed', totalCents: 2_800, currency: 'EUR', version: 1, placedAt: undefined },
    );
    assert.match(String(order.placedAt), /Z$/);
  });

  it('answers 404 for an order that does not exist and 400 for an id that is not a UUID', async () => {
    const missing = await expectProblem(await ordersFetch(url('/orders/6a1f1e0c-0000-4000-8000-000000000000')), 404);
    assert.match(missing.detail, /no order with id 6a1f1e0c/);
    const malformed = await expectProblem(await ordersFetch(url('/orders/42')), 400);
    assert.deepEqual(malformed.errors?.map((e) => `${e.in}:${e.path}`), ['path:id']);
  });

  it('publishes orders.order.placed through the outbox, keyed by the order id, and marks the row published', async () => {
    const watcher = await service.app.get(KafkaClient).watchTopic(ORDER_EVENTS_TOPIC);
    try {
      const response = await ordersFetch(url('/orders'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'checkout-77', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ customerId, currency: 'JPY', items: [{ sku: 'tea', quantity: 3, unitPriceCents: 500 }] }),
      });
      assert.equal(response.status, 201);
      const { orderId } = (await response.json()) as { orderId: string };

      const message = await watcher.waitFor((m) => m.key === orderId, 10_000);
      const envelope = decodeEvent(JSON.parse(message.value ?? 'null'));
      assert.equal(envelope.type, 'orders.order.placed');
      assert.equal(envelope.aggregateType, 'order');
      assert.equal(envelope.aggregateId, orderId);
      assert.equal(envelope.sequence, 1);
      assert.equal(uuidVersion(envelope.eventId), 7, 'event ids are UUIDv7 (DESIGN §2)');
      assert.equal(envelope.schemaVersion, 2);
      assert.equal(envelope.correlationId, 'checkout-77');
      assert.equal(envelope.causationId, response.headers.get('x-request-id'));
      assert.deepEqual(envelope.producer, { name: 'orders', version: '0.1.0' });
      assert.ok(orderPlaced.matches(envelope));
      assert.deepEqual(envelope.payload.total, { amountMinor: 1_500, currency: 'JPY' });

      // The relay marks the row right after Kafka acknowledged the send, so it may trail the consumer.
      const outbox = service.app.get(DataSource).getRepository(OutboxMessage);
      const row = await eventually(
        async () => {
          const found = await outbox.findOneByOrFail({ eventId: envelope.eventId });
          return found.publishedAt ? found : undefined;
        },
        { what: 'outbox row marked published' },
      );
      assert.equal(row.aggregateId, orderId);
      assert.equal(row.topic, ORDER_EVENTS_TOPIC);
    } finally {
      await watcher.stop();
    }
  });

  // Last, because it cuts this service's database connection (through Toxiproxy) for a moment.
  it('reports not ready with a 503 problem naming the database, and answers reads with a 503 and Retry-After that leak nothing, while the database is cut off', async () => {
    const proxy = `http://127.0.0.1:${env.TOXIPROXY_PORT}/proxies/orders-postgres`;
    const setEnabled = async (enabled: boolean) => {
      const response = await fetch(proxy, { method: 'POST', body: JSON.stringify({ enabled }) });
      assert.equal(response.status, 200, `Toxiproxy: ${await response.text()}`);
    };
    await setEnabled(false);
    try {
      const notReady = await expectProblem(await ordersFetch(url('/ready')), 503);
      assert.equal(notReady.type, 'urn:faultline:problem:not-ready');
      assert.match(notReady.detail, /^Not ready: database \(/);
      const checks = notReady.checks as Record<string, { status: string }>;
      assert.deepEqual([checks.database?.status, checks.kafka?.status], ['down', 'up']);

      // A database that is away is an outage to retry, not a bug: 503, never 500 (the client retries it).
      const unavailable = await ordersFetch(url(`/orders/${customerId}`));
      assert.equal(unavailable.headers.get('retry-after'), '1');
      const failed = await expectProblem(unavailable, 503);
      assert.equal(failed.type, 'urn:faultline:problem:dependency-unavailable');
      assert.equal(failed.dependency, 'database');
      assert.doesNotMatch(failed.detail, /ECONNREFUSED|25432|postgres/i);
    } finally {
      await setEnabled(true);
    }
    await eventually(async () => ((await ordersFetch(url('/ready'))).status === 200 ? true : undefined), {
      what: 'ready again once the database is back',
    });
  });
});
