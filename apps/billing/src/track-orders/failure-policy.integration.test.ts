import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { SystemClock } from '@faultline/shared/clock';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ORDER_PLACED, type EventEnvelope } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS, DeadLetterMonitor } from '@faultline/shared/dead-letter';
import { ConsumerMetrics } from '@faultline/shared/messaging';
import { ServiceMetrics } from '@faultline/shared/observability';
import { Outbox } from '@faultline/shared/outbox';
import { OrderEventStream, RecordedSpans, eventually, requireReachable } from '@faultline/shared/testing';
import { OrderEventsTestBed } from '../testing/order-events-test-bed.js';

const env = readFaultlineEnvironment();
/** Every order of this file is one customer's: the bed's, whose token reads billing's copies. */
const bed = new OrderEventsTestBed('failure-policy');
const { run, customerId, topic, consumerName, produce, order, metric, consumedUpToEnd, endOffset } = bed;
// This file's own Toxiproxy proxy to the primary, so cutting "billing's database" here never touches
// the shared billing-postgres proxy another test may be using.
const proxyName = `billing-postgres-failure-policy-${run}`;
const toxiproxy = `http://127.0.0.1:${env.TOXIPROXY_PORT}`;
// Short delays so the whole policy runs in seconds: 3 attempts in process, then 1 s and 2 s retry topics.
const RETRY_DELAYS_MS = [1_000, 2_000];

const placed = (orderId: string): EventEnvelope =>
  new OrderEventStream({
    orderId,
    customerId,
    total: { amountMinor: 500, currency: 'EUR' },
    correlationId: `trace-${orderId}`,
    causationId: `test-${run}`,
  }).placed(new Date().toISOString());

async function toxiproxyCall(method: string, path: string, body?: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${toxiproxy}${path}`, { method, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  assert.ok(response.ok, `Toxiproxy ${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
const setDatabaseReachable = (enabled: boolean) => toxiproxyCall('POST', `/proxies/${proxyName}`, { enabled });

// Article 3 on the real billing AppModule, PostgreSQL and Kafka: poison, short and long outages, redrive.
describe("billing's failure policy", () => {
  const placedEvents = (outcome: string) => metric('consumer_events_total', { consumer: consumerName, type: ORDER_PLACED, outcome });

  before(async () => {
    await requireReachable('Toxiproxy', Number(env.TOXIPROXY_PORT));
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    const proxy = await toxiproxyCall('POST', '/proxies', { name: proxyName, listen: '127.0.0.1:0', upstream: `127.0.0.1:${env.PG_PRIMARY_PORT}` });
    await bed.start({
      partitions: 1,
      environment: { LOG_LEVEL: 'fatal' },
      databasePort: Number(String(proxy.listen).split(':')[1]),
      consumer: {
        failurePolicy: { inProcessAttempts: 3, backoffBaseMs: 50, backoffMaxMs: 200, retryDelaysMs: RETRY_DELAYS_MS },
        // The automatic redrive is exercised below through its own DeadLetterMonitor, so the manual
        // redrive test sees its dead letter stay put.
        deadLetterCare: { checkIntervalMs: 500, autoRedrive: false },
      },
      watchDeadLetters: true,
    });
  });
  after(async () => {
    await setDatabaseReachable(true).catch(() => undefined);
    await bed.stop();
    await toxiproxyCall('DELETE', `/proxies/${proxyName}`).catch(() => undefined);
  });

  it('dead-letters a poison event after one attempt with every context field, and goes on to the next offset', async () => {
    const orderId = randomUUID();
    const poison = { ...placed(orderId), type: 'orders.order.teleported' };
    await produce(orderId, poison);
    const next = randomUUID();
    await produce(next, placed(next));

    const letter = await bed.deadLetters.waitFor((m) => m.key === orderId);
    const dealtWith = performance.now();
    const h = DEAD_LETTER_HEADERS;
    assert.equal(letter.value, JSON.stringify(poison), 'the original value, byte for byte');
    assert.deepEqual(
      {
        reason: letter.headers[h.reason],
        errorClass: letter.headers[h.errorClass],
        sourceTopic: letter.headers[h.sourceTopic],
        sourcePartition: letter.headers[h.sourcePartition],
        consumer: letter.headers[h.consumer],
        consumerVersion: letter.headers[h.consumerVersion],
        attempts: letter.headers[h.attempts],
        retryable: letter.headers[h.retryable],
        traceId: letter.headers[h.traceId],
      },
      {
        reason: 'invalid-event',
        errorClass: 'InvalidEventError',
        sourceTopic: topic,
        sourcePartition: '0',
        consumer: consumerName,
        consumerVersion: '0.1.0',
        attempts: '1',
        retryable: 'false',
        traceId: `trace-${orderId}`,
      },
    );
    assert.match(letter.headers[h.errorMessage] ?? '', /unknown event type "orders.order.teleported"/);
    assert.match(letter.headers[h.sourceOffset] ?? '', /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(letter.headers[h.firstFailureAt] ?? '')));
    // The partition goes on: the record after the poison is applied. How fast is the bench's business;
    // the bound only keeps a broken consumer from holding the suite.
    await eventually(() => order(next), { timeoutMs: 30_000, intervalMs: 20, what: 'the offset after the poison applied' });
    console.log(`  the next offset was applied ${Math.round(performance.now() - dealtWith)} ms after the poison's dead letter`);
  });

  it('dead-letters an event written through the outbox with the trace id of the request that wrote it, the dead letter pointing at that trace', async () => {
    const spans = RecordedSpans.start();
    try {
      const orderId = randomUUID();
      // Written as a request handler writes events: in its transaction, with its span active.
      const request = await trace.getTracer('test').startActiveSpan('POST /orders', async (span) => {
        try {
          await bed.service.app.get(DataSource).transaction((transaction) =>
            bed.service.app.get(Outbox).append(transaction, {
              topic,
              type: 'orders.order.teleported',
              schemaVersion: 1,
              aggregateType: 'order',
              aggregateId: orderId,
              sequence: 1,
              correlationId: `trace-${orderId}`,
              causationId: `test-${run}`,
              payload: {},
            }),
          );
          return span.spanContext();
        } finally {
          span.end();
        }
      });

      const letter = await bed.deadLetters.waitFor((m) => m.key === orderId);
      assert.equal(letter.headers[DEAD_LETTER_HEADERS.traceId], request.traceId);
      assert.equal(letter.headers.traceparent?.split('-')[1], request.traceId, 'the dead letter keeps the trace context');
      // The way there: billing's relay published in the request's trace, and its consumer continued it, failed.
      const publish = spans.finished.find((span) => span.name === `${topic} publish` && span.attributes['messaging.kafka.message.key'] === orderId);
      assert.equal(publish?.spanContext().traceId, request.traceId);
      assert.equal(publish?.parentSpanContext?.spanId, request.spanId);
      const processed = await eventually(async () => spans.finished.find((span) => span.name === `${topic} process` && span.parentSpanContext?.spanId === publish?.spanContext().spanId), {
        what: "the consumer's span",
      });
      assert.equal(processed.status.code, SpanStatusCode.ERROR);
      assert.equal(processed.attributes['messaging.consumer.group.name'], consumerName);
    } finally {
      await spans.stop();
    }
  });

  it('rides out a short database outage through in-process attempts and a retry topic, with no dead letter', async () => {
    const orderId = randomUUID();
    const retriesBefore = await metric('consumer_retries_total', { consumer: consumerName, topic });
    await setDatabaseReachable(false);
    await produce(orderId, placed(orderId));
    await eventually(
      async () => ((await metric('consumer_retries_total', { consumer: consumerName, topic, stage: 'retry-topic' })) > 0 ? true : undefined),
      { what: 'record moved to a retry topic' },
    );
    await setDatabaseReachable(true);
    const copy = await eventually(() => order(orderId), { timeoutMs: 10_000, what: 'order applied after the outage' });
    assert.equal(copy.status, 'placed');
    assert.ok((await metric('consumer_retries_total', { consumer: consumerName, topic })) >= retriesBefore + 3, 'two in-process retries and one retry topic');
    assert.equal(bed.deadLetters.messages.filter((m) => m.key === orderId).length, 0, 'no dead letter');
  });

  it('dead-letters a record as retryable when the outage outlasts the retry topics, and `dlq redrive` run twice applies it once', async () => {
    const orderId = randomUUID();
    const event = placed(orderId);
    await setDatabaseReachable(false);
    await produce(orderId, event);
    const letter = await bed.deadLetters.waitFor((m) => m.key === orderId, 20_000);
    assert.equal(letter.headers[DEAD_LETTER_HEADERS.reason], 'retries-exhausted');
    assert.equal(letter.headers[DEAD_LETTER_HEADERS.retryable], 'true');
    assert.equal(letter.headers[DEAD_LETTER_HEADERS.attempts], String(3 * (1 + RETRY_DELAYS_MS.length)));
    assert.equal(letter.headers[DEAD_LETTER_HEADERS.sourceTopic], topic, 'named by its source, not the last retry topic');
    await bed.consumer.monitor();
    const depth = await metric('dead_letter_depth', { consumer: consumerName });
    assert.ok(depth >= 1, 'the depth gauge counts it');

    await setDatabaseReachable(true);
    const redriveTopic = bed.consumer.deadLetterLedger.redriveTopic;
    const first = await bed.consumer.deadLetterLedger.redrive(bed.producer, { ids: [letter.offset] }, { perSecond: 5, by: 'test' });
    const second = await bed.consumer.deadLetterLedger.redrive(bed.producer, { ids: [letter.offset] }, { perSecond: 5, by: 'test' });
    assert.deepEqual([first.length, second.length], [1, 0], 'the second redrive finds it resolved');
    const applied = await eventually(() => order(orderId), { timeoutMs: 10_000, what: 'redriven order applied' });
    await consumedUpToEnd(redriveTopic);

    // An operator redrives it once more (`dlq redrive --all`), as a redrive that crashed before
    // recording itself would: the event arrives a second time, and the inbox must not apply it again.
    const duplicatesBefore = await placedEvents('duplicate');
    const appliedBefore = await placedEvents('applied');
    const again = await bed.consumer.deadLetterLedger.redrive(bed.producer, { ids: [letter.offset], includeResolved: true }, { perSecond: 5, by: 'test' });
    assert.equal(again.length, 1, 'a redrive with includeResolved sends a resolved dead letter again');
    await consumedUpToEnd(redriveTopic);
    assert.equal(await placedEvents('duplicate'), duplicatesBefore + 1, 'the second delivery was recognised as a duplicate');
    assert.equal(await placedEvents('applied'), appliedBefore, 'and not applied again');
    assert.deepEqual(await order(orderId), applied, "billing's copy is unchanged, version included");
    assert.equal(bed.deadLetters.messages.filter((m) => m.key === orderId).length, 1, 'the duplicate left no new dead letter');
    await bed.consumer.monitor();
    assert.equal(await metric('dead_letter_depth', { consumer: consumerName }), depth - 1, 'a redriven dead letter leaves the depth');
  });

  it('redrives retryable dead letters by itself once the database is healthy again, exactly once', async () => {
    const orderId = randomUUID();
    const event = placed(orderId);
    const monitor = new DeadLetterMonitor({
      consumer: consumerName,
      groupId: consumerName,
      sourceTopics: [topic],
      ledger: bed.consumer.deadLetterLedger,
      kafka: bed.kafka,
      producer: bed.producer,
      metrics: new ConsumerMetrics(bed.service.app.get(ServiceMetrics).registry),
      clock: new SystemClock(),
      care: { checkIntervalMs: 500, autoRedrive: true, redrivePerSecond: 10, retentionMs: 60 * 60 * 1_000 },
      dependencyHealthy: async () => {
        await bed.service.app.get(DataSource).query('select 1');
      },
      logger: pino({ level: 'silent' }),
    });
    await setDatabaseReachable(false);
    await produce(orderId, event);
    await bed.deadLetters.waitFor((m) => m.key === orderId, 20_000);
    await monitor.check();
    assert.equal(await order(orderId).catch(() => undefined), undefined, 'nothing redriven while the database is down');

    await setDatabaseReachable(true);
    const redriveTopic = bed.consumer.deadLetterLedger.redriveTopic;
    const redrivesBefore = await endOffset(redriveTopic);
    const appliedBefore = await placedEvents('applied');
    await monitor.check();
    await monitor.check();
    const copy = await eventually(() => order(orderId), { timeoutMs: 10_000, what: 'order applied after the automatic redrive' });
    await consumedUpToEnd(redriveTopic);
    assert.equal(await endOffset(redriveTopic), redrivesBefore + 1n, 'two checks sent the dead letter back once');
    assert.equal(await metric('dead_letter_redriven_total', { consumer: consumerName, trigger: 'auto' }), 1);
    assert.equal(await placedEvents('applied'), appliedBefore + 1, 'applied once');
    assert.equal(copy.version, event.sequence);
  });
});
