import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ORDER_AGGREGATE, ORDER_PLACED, type EventEnvelope } from '@faultline/shared/contracts';
import { KafkaClient, type OrderedProducer } from '@faultline/shared/messaging';
import { ServiceMetrics } from '@faultline/shared/observability';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { bearerFetch, eventually, requireReachable, startTestIssuer, type TestIssuer } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { loadNotificationsSettings } from '../config.js';

const env = readFaultlineEnvironment();
const run = randomUUID().slice(0, 8);
// A topic and a consumer of this file's own: other tests' orders.order.events traffic never reaches it.
const topic = `test.notifications.order-events.${run}`;
const consumer = `notifications-orders-test-${run}`;

// The real notifications AppModule against the real PostgreSQL and Kafka; events are produced directly.
describe('notifications consuming order events', () => {
  let service: RunningService;
  let issuer: TestIssuer;
  const customerId = randomUUID();
  const api = bearerFetch(() => issuer.userToken(customerId));
  let kafka: KafkaClient;
  let producer: OrderedProducer;

  before(async () => {
    await requireReachable('PostgreSQL for notifications (through Toxiproxy)', Number(env.TOXIPROXY_NOTIFICATIONS_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    issuer = await startTestIssuer();
    const settings = loadNotificationsSettings({ ...env, LOG_LEVEL: 'error', ...issuer.environment });
    settings.http.port = 0;
    settings.orderEvents = { name: consumer, topics: [topic] };
    kafka = new KafkaClient(settings.kafka, `notifications-test-${run}`, pino({ level: 'silent' }));
    await kafka.ensureTopics([{ topic, numPartitions: 3 }]);
    producer = kafka.createOrderedProducer();
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await service?.app.close();
    await kafka?.disconnect();
    await issuer?.stop();
  });

  it('records one due e-mail for a placed order, even when the event is delivered twice', async () => {
    const orderId = randomUUID();
    const placedAt = '2026-11-28T18:45:00.000Z';
    const placed: EventEnvelope = {
      eventId: randomUUID(),
      type: ORDER_PLACED,
      schemaVersion: 2,
      aggregateType: ORDER_AGGREGATE,
      aggregateId: orderId,
      sequence: 1,
      occurredAt: placedAt,
      correlationId: `test-${run}`,
      causationId: `test-${run}`,
      producer: { name: 'orders', version: '1.0.0' },
      payload: {
        orderId,
        customerId,
        lines: [{ sku: 'tea', quantity: 1, unitPriceMinor: 400 }],
        total: { amountMinor: 400, currency: 'GBP' },
        placedAt,
      },
    };
    await producer.send(topic, [{ key: orderId, value: JSON.stringify(placed) }]);
    await producer.send(topic, [{ key: orderId, value: JSON.stringify(placed) }]);
    const list = async () =>
      (await (await api(`${service.url}/customers/${customerId}/notifications?orderId=${orderId}`)).json()) as {
        items: { status: string; channel: string; dueAt: string }[];
      };
    const { items } = await eventually(async () => ((await list()).items.length > 0 ? list() : undefined), {
      timeoutMs: 15_000,
      what: 'notification recorded',
    });
    assert.deepEqual(
      items.map(({ status, channel, dueAt }) => ({ status, channel, dueAt })),
      [{ status: 'due', channel: 'email', dueAt: placedAt }],
    );
    // Once the second delivery has been read (and skipped by the inbox) there is still one row.
    const duplicates = async () => {
      const metric = await service.app.get(ServiceMetrics).registry.getSingleMetric('consumer_events_total')?.get();
      return metric?.values.find((v) => v.labels.consumer === consumer && v.labels.outcome === 'duplicate')?.value;
    };
    await eventually(async () => ((await duplicates()) === 1 ? true : undefined), { what: 'second delivery skipped' });
    assert.equal((await list()).items.length, 1);
  });
});
