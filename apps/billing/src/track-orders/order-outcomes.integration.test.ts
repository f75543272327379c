import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import type { EventEnvelope } from '@faultline/shared/contracts';
import { KafkaClient, type OrderedProducer } from '@faultline/shared/messaging';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { OrderEventStream, eventually, requireReachable } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { InvoiceBusinessDay } from '../billing-run/invoice-business-day.js';
import { loadBillingSettings } from '../config.js';
import { DailyOrderTotals } from '../reports/daily-order-totals.js';
import { stopTestIssuer, tokenEnvironment } from '../testing/test-tokens.js';

const env = readFaultlineEnvironment();
const run = randomUUID().slice(0, 8);
// A topic and a consumer of this file's own: other tests' orders.order.events traffic never reaches it.
const topic = `test.billing.order-outcomes.${run}`;
const consumerName = `billing-order-outcomes-test-${run}`;
/** The UTC business day every order of this file is placed on; each test bills its own customer. */
const DAY = '2026-06-10';
const at = (time: string) => `${DAY}T${time}Z`;

/**
 * What billing counts of an order, from the orders service's events to the daily report and the
 * invoice: the real billing AppModule, its consumer on a topic of this file's own, real Kafka and
 * PostgreSQL. Each test waits until the consumer has committed every event it produced, so the
 * totals read afterwards are the ones the events lead to, whatever billing did with each of them.
 */
describe('billing counts the orders its copy says are live', () => {
  let service: RunningService;
  let kafka: KafkaClient;
  let producer: OrderedProducer;

  const publish = async (events: EventEnvelope[]) => {
    for (const event of events) await producer.send(topic, [{ key: event.aggregateId, value: JSON.stringify(event) }]);
  };
  const consumedUpToEnd = async () => {
    const ends = new Map((await kafka.partitionProgress(topic, consumerName)).map((p) => [p.partition, p.end]));
    await eventually(
      async () => ((await kafka.partitionProgress(topic, consumerName)).every((p) => p.committed >= (ends.get(p.partition) ?? 0n)) ? true : undefined),
      { timeoutMs: 30_000, what: `${consumerName} committed up to the end of ${topic}` },
    );
  };
  /** The customer's day as the daily report and the billing run see it. */
  const billed = async (customerId: string) => {
    const [day] = await service.app.get(DailyOrderTotals).perDay('UTC', DAY, DAY, customerId);
    const invoice = await service.app.get(InvoiceBusinessDay).execute({ customerId, businessDate: DAY, timeZone: 'UTC' });
    return {
      report: { orderCount: day?.orderCount, revenue: day?.revenue },
      invoice: invoice.lines,
    };
  };

  before(async () => {
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    const settings = loadBillingSettings({
      ...env,
      LOG_LEVEL: 'error',
      // The app's billing-run worker polls a queue of its own, so no real billing run reaches it.
      BILLING_RUN_TASK_QUEUE: `billing-runs-test-${run}`,
      ...(await tokenEnvironment()),
    });
    settings.http.port = 0;
    settings.orderEvents = { name: consumerName, topics: [topic] };
    kafka = new KafkaClient(settings.kafka, `billing-order-outcomes-test-${run}`, pino({ level: 'silent' }));
    await kafka.ensureTopics([{ topic, numPartitions: 3 }]);
    producer = kafka.createOrderedProducer();
    service = await startService(settings, AppModule.forRoot(settings));
    const [consumer] = service.consumers;
    assert.ok(consumer, 'billing declares its order-events consumer');
    await consumer.whenConsuming();
  });
  after(async () => {
    await service?.app.close();
    await kafka?.disconnect();
    await stopTestIssuer();
  });

  it('leaves an order the saga rejected out of the daily revenue and out of the invoice', async () => {
    const customerId = randomUUID();
    const paid = new OrderEventStream({ customerId, total: { amountMinor: 400, currency: 'EUR' }, correlationId: `test-${run}` });
    const rejected = new OrderEventStream({ customerId, total: { amountMinor: 800, currency: 'EUR' }, correlationId: `test-${run}` });
    await publish([paid.placed(at('09:00:00')), paid.confirmed(at('09:00:02')), paid.paid(at('09:00:03'))]);
    await publish([rejected.placed(at('10:00:00')), rejected.rejected(at('10:00:02'))]);
    await consumedUpToEnd();

    assert.deepEqual(await billed(customerId), {
      report: { orderCount: 1, revenue: [{ currency: 'EUR', amountMinor: 400 }] },
      invoice: [{ currency: 'EUR', orderCount: 1, amountMinor: 400 }],
    });
  });

  it('counts placed, confirmed and paid orders, and leaves out rejected, cancelled and refunded ones', async () => {
    const customerId = randomUUID();
    const order = (amountMinor: number) => new OrderEventStream({ customerId, total: { amountMinor, currency: 'EUR' }, correlationId: `test-${run}` });
    const placed = order(1);
    const confirmed = order(2);
    const paid = order(4);
    const rejectedAfterConfirmed = order(8); // the capture failed after the order was confirmed
    const rejected = order(16);
    const cancelled = order(32);
    const cancelledWhenConfirmed = order(64);
    const cancelledWhenPaid = order(128); // its refund is still due
    const refunded = order(256);
    await publish([
      placed.placed(at('08:00:00')),
      confirmed.placed(at('08:01:00')),
      confirmed.confirmed(at('08:01:02')),
      paid.placed(at('08:02:00')),
      paid.confirmed(at('08:02:02')),
      paid.paid(at('08:02:03')),
      rejectedAfterConfirmed.placed(at('08:03:00')),
      rejectedAfterConfirmed.confirmed(at('08:03:02')),
      rejectedAfterConfirmed.rejected(at('08:03:04'), 'PaymentFailed: capture refused'),
      rejected.placed(at('08:04:00')),
      rejected.rejected(at('08:04:02')),
      cancelled.placed(at('08:05:00')),
      cancelled.cancelled(at('08:05:01')),
      cancelledWhenConfirmed.placed(at('08:06:00')),
      cancelledWhenConfirmed.confirmed(at('08:06:02')),
      cancelledWhenConfirmed.cancelled(at('08:06:03')),
      cancelledWhenPaid.placed(at('08:07:00')),
      cancelledWhenPaid.confirmed(at('08:07:02')),
      cancelledWhenPaid.paid(at('08:07:03')),
      cancelledWhenPaid.cancelled(at('09:00:00')),
      refunded.placed(at('08:08:00')),
      refunded.confirmed(at('08:08:02')),
      refunded.paid(at('08:08:03')),
      refunded.cancelled(at('09:00:00')),
      refunded.refunded(at('09:05:00')),
    ]);
    await consumedUpToEnd();

    assert.deepEqual(await billed(customerId), {
      report: { orderCount: 3, revenue: [{ currency: 'EUR', amountMinor: 1 + 2 + 4 }] },
      invoice: [{ currency: 'EUR', orderCount: 3, amountMinor: 1 + 2 + 4 }],
    });
  });
});
