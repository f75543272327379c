import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import {
  PAYMENT_AGGREGATE,
  orderCancelled,
  orderPlaced,
  orderRefunded,
  orderRejected,
  paymentAuthorized,
  paymentCaptured,
  type EventContract,
  type EventEnvelope,
} from '@faultline/shared/contracts';
import { KafkaClient, type OrderedProducer } from '@faultline/shared/messaging';
import { ServiceMetrics } from '@faultline/shared/observability';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import {
  bearerFetch,
  buildEnvelope,
  eventually,
  idleTestConsumer,
  metricValue,
  RecordedSpans,
  requireReachable,
  startTestIssuer,
  type TestIssuer,
} from '@faultline/shared/testing';
import { inZone } from '@faultline/shared/time';
import { ToxiproxyLink } from '@faultline/shared/toxiproxy';
import { AppModule } from '../app.module.js';
import { loadNotificationsSettings } from '../config.js';
import { DeliveryOutbox } from '../delivery/delivery-outbox.js';
import type { OrderPlacedContent } from '../email-templates/order-placed.email.js';
import { MailSink, type ReceivedEmail } from '../testing/mail-sink.js';

const env = readFaultlineEnvironment();
const run = randomUUID().slice(0, 8);
// A topic and a consumer of this file's own: other tests' orders.order.events traffic never reaches it.
const topic = `test.notifications.order-events.${run}`;
const consumer = `notifications-orders-test-${run}`;
const paymentTopic = `test.notifications.payment-events.${run}`;

interface ListedNotification {
  kind: string;
  status: string;
  messageId: string;
  recipient: string | null;
  dueAt: string;
  attemptCount: number;
  lastAttempt: { outcome: string; smtpResponse: string | null; error: string | null } | null;
}

// The real notifications AppModule against the real PostgreSQL, Kafka, Toxiproxy and MailDev: order
// events are produced directly, the e-mails are read back from the mail sink.
describe('notifications e-mailing an order’s life over SMTP', () => {
  let service: RunningService;
  let issuer: TestIssuer;
  let kafka: KafkaClient;
  let producer: OrderedProducer;
  const mail = new MailSink();
  // Toxiproxy's link between notifications and MailDev: the tests' SMTP outage switch.
  const smtp = new ToxiproxyLink({ proxy: 'smtp', configFor: 'notifications tests' });
  // Spans are kept in memory: the tests read the sender's spans of a row back from here.
  let spans: RecordedSpans;

  const customer = () => {
    const id = randomUUID();
    const api = bearerFetch(() => issuer.userToken(id));
    return {
      id,
      address: `customer-${run}-${id.slice(0, 8)}@example.com`,
      api,
      setPreferences: async (preferences: { timeZone: string; quietHours?: { start: string; end: string } }, address?: string) => {
        const response = await api(`${service.url}/customers/${id}/contact-preferences`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: address ?? `customer-${run}-${id.slice(0, 8)}@example.com`, ...preferences }),
        });
        assert.equal(response.status, 201, await response.text());
      },
      notifications: async (orderId: string) => {
        const response = await api(`${service.url}/customers/${id}/notifications?orderId=${orderId}`);
        return ((await response.json()) as { items: ListedNotification[] }).items;
      },
    };
  };
  type Customer = ReturnType<typeof customer>;

  /** An event of this run, validated against its contract: orders' keyed by the order, billing's by the payment. */
  const event = <Payload>(contract: EventContract<Payload>, orderId: string, sequence: number, payload: Payload): EventEnvelope<Payload> => {
    const ofPayment = contract.aggregateType === PAYMENT_AGGREGATE;
    return buildEnvelope(contract, payload, {
      aggregateId: ofPayment ? String((payload as { paymentId: string }).paymentId) : orderId,
      sequence,
      occurredAt: new Date().toISOString(),
      correlationId: `test-${run}`,
      causationId: `test-${run}`,
      producer: { name: ofPayment ? 'billing' : 'orders', version: '1.0.0' },
    });
  };
  const placed = (orderId: string, customerId: string, placedAt = new Date().toISOString()) =>
    event(orderPlaced, orderId, 1, {
      orderId,
      customerId,
      lines: [{ sku: 'tea', quantity: 2, unitPriceMinor: 450 }],
      total: { amountMinor: 900, currency: 'EUR' },
      placedAt,
    });
  const publish = async (...events: EventEnvelope[]) => {
    for (const e of events) {
      await producer.send(e.aggregateType === PAYMENT_AGGREGATE ? paymentTopic : topic, [{ key: e.aggregateId, value: JSON.stringify(e) }]);
    }
  };
  const messageIdOf = (e: EventEnvelope) => `<${e.eventId}@notifications.faultline>`;
  /** Waits until `count` messages have reached `address`, then returns them. */
  const mailsTo = (address: string, count: number, timeoutMs = 20_000) =>
    eventually(async () => {
      const received = await mail.to(address);
      return received.length >= count ? received : undefined;
    }, { timeoutMs, intervalMs: 100, what: `${count} e-mail(s) to ${address}` });
  const byMessageId = (emails: ReceivedEmail[], e: EventEnvelope) => emails.filter((m) => m.headers['message-id'] === messageIdOf(e));
  const settled = (c: Customer, orderId: string, count: number) =>
    eventually(async () => {
      const items = await c.notifications(orderId);
      return items.length === count && items.every((n) => n.status !== 'due') ? items : undefined;
    }, { timeoutMs: 20_000, what: `${count} notification(s) of order ${orderId} settled` });
  const duplicatesSkipped = () =>
    metricValue(service.app.get(ServiceMetrics).registry, 'consumer_events_total', { consumer, outcome: 'duplicate' });

  before(async () => {
    spans = RecordedSpans.start();
    await requireReachable('PostgreSQL for notifications (through Toxiproxy)', Number(env.TOXIPROXY_NOTIFICATIONS_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await requireReachable('MailDev SMTP (through Toxiproxy)', Number(env.TOXIPROXY_SMTP_PORT));
    await mail.requireReachable();
    issuer = await startTestIssuer();
    const settings = loadNotificationsSettings({ ...env, LOG_LEVEL: 'error', ...issuer.environment });
    settings.http.port = 0;
    settings.orderEvents = { name: consumer, topics: [topic] };
    settings.paymentEvents = { name: `notifications-payments-test-${run}`, topics: [paymentTopic] };
    // Short intervals so an outage and its heal fit in a test: poll every 100 ms, retry a row after
    // 200 ms–1 s, probe the SMTP server 1 s after the breaker opens.
    settings.delivery.pollIntervalMs = 100;
    settings.delivery.retryBackoff = { firstMs: 200, maxMs: 1_000 };
    settings.delivery.policy = { ...settings.delivery.policy, breaker: { ...settings.delivery.policy.breaker, halfOpenAfterMs: 1_000 } };
    kafka = new KafkaClient(settings.kafka, `notifications-test-${run}`, pino({ level: 'silent' }));
    await kafka.ensureTopics([
      { topic, numPartitions: 3 },
      { topic: paymentTopic, numPartitions: 3 },
    ]);
    producer = kafka.createOrderedProducer();
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await smtp.restore().catch(() => undefined);
    await service?.app.close();
    await kafka?.disconnect();
    await issuer?.stop();
    await spans?.stop();
  });

  it('sends a received e-mail and a rejection with its reason, each once, with the Message-ID of its event', async () => {
    const ada = customer();
    await ada.setPreferences({ timeZone: 'Europe/London' });
    const orderId = randomUUID();
    const received = placed(orderId, ada.id, '2026-11-28T18:45:00.000Z');
    const rejected = event(orderRejected, orderId, 2, { orderId, reason: 'payment declined <card 4242>', rejectedAt: '2026-11-28T18:45:02.000Z' });
    await publish(received, rejected);

    const emails = await mailsTo(ada.address, 2);
    const [receivedMail] = byMessageId(emails, received);
    const [rejectedMail] = byMessageId(emails, rejected);
    assert.ok(receivedMail && rejectedMail, `both Message-IDs arrived: ${emails.map((m) => m.headers['message-id']).join(', ')}`);
    assert.equal(receivedMail.subject, `We have your order ${orderId.slice(0, 8)}`);
    assert.deepEqual(receivedMail.from, [{ address: 'notifications@faultline.example', name: 'Faultline' }]);
    assert.match(receivedMail.text, /placed on 28 Nov 2026, 18:45 \(Europe\/London\)/);
    assert.match(receivedMail.html, /Total: €9\.00/);
    assert.equal(rejectedMail.subject, `Your order ${orderId.slice(0, 8)} could not be completed`);
    assert.match(rejectedMail.text, /Reason: payment declined <card 4242>/);
    assert.match(rejectedMail.html, /Reason: payment declined &lt;card 4242&gt;/);

    const items = await settled(ada, orderId, 2);
    assert.deepEqual(
      items.map((n) => [n.kind, n.status, n.messageId, n.recipient, n.attemptCount, n.lastAttempt?.outcome]),
      [
        ['order-placed', 'sent', messageIdOf(received), ada.address, 1, 'sent'],
        ['order-rejected', 'sent', messageIdOf(rejected), ada.address, 1, 'sent'],
      ],
    );
    assert.match(items[0]?.lastAttempt?.smtpResponse ?? '', /^250 /);
  });

  it('keeps the trace a row was recorded in, and sends the e-mail as a span of that trace', async () => {
    const eve = customer();
    await eve.setPreferences({ timeZone: 'UTC' });
    const orderId = randomUUID();
    const eventId = randomUUID();
    const placedAt = new Date().toISOString();
    const content: OrderPlacedContent = { orderId, placedAt, lines: [{ sku: 'tea', quantity: 1, unitPriceMinor: 450 }], total: { amountMinor: 450, currency: 'EUR' } };
    const dataSource = service.app.get(DataSource);
    // Recorded as a handler records it: inside the span of the event it consumes.
    const consumed = await trace.getTracer('test').startActiveSpan(`${topic} process`, async (span) => {
      await dataSource.transaction((transaction) =>
        DeliveryOutbox.record(transaction, { eventId, kind: 'order-placed', orderId, customerId: eve.id, content, occurredAt: placedAt }, new Date()),
      );
      span.end();
      return span.spanContext();
    });
    const [stored] = (await dataSource.query(`SELECT traceparent FROM notifications WHERE event_id = $1`, [eventId])) as { traceparent: string | null }[];
    assert.equal(stored?.traceparent, `00-${consumed.traceId}-${consumed.spanId}-01`);

    await mailsTo(eve.address, 1);
    const send = await eventually(async () => spans.finished.find((s) => s.name === 'smtp send' && s.spanContext().traceId === consumed.traceId), {
      what: "the row's smtp send span in the trace it was recorded in",
    });
    assert.equal(send.parentSpanContext?.spanId, consumed.spanId);
    assert.equal(send.attributes['email.message_id'], `<${eventId}@notifications.faultline>`);
    assert.equal(send.attributes['notification.outcome'], 'sent');
  });

  it('sends the cancellation and the refund of a paid order', async () => {
    const grace = customer();
    await grace.setPreferences({ timeZone: 'Asia/Tokyo' });
    const orderId = randomUUID();
    const paymentId = randomUUID();
    const cancelled = event(orderCancelled, orderId, 2, { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' });
    const refunded = event(orderRefunded, orderId, 3, {
      orderId,
      paymentId,
      amount: { amountMinor: 900, currency: 'EUR' },
      refundedAt: '2026-11-28T19:05:00.000Z',
    });
    await publish(placed(orderId, grace.id), cancelled, refunded);

    const emails = await mailsTo(grace.address, 3);
    assert.equal(byMessageId(emails, cancelled)[0]?.subject, `Your order ${orderId.slice(0, 8)} is cancelled`);
    const refund = byMessageId(emails, refunded)[0];
    assert.equal(refund?.subject, `Your refund for order ${orderId.slice(0, 8)}`);
    assert.match(refund?.text ?? '', /We refunded €9\.00 on 29 Nov 2026, 04:05 \(Asia\/Tokyo\)/);
  });

  it("sends a receipt when billing captures the payment, from billing's payment events", async () => {
    const ken = customer();
    await ken.setPreferences({ timeZone: 'America/New_York', quietHours: { start: '00:00', end: '23:59' } });
    const orderId = randomUUID();
    const paymentId = randomUUID();
    const facts = { paymentId, orderId, customerId: ken.id, amount: { amountMinor: 1_500, currency: 'JPY' } };
    // The payment's stream starts with its authorization, which notifications has no e-mail for.
    const authorized = event(paymentAuthorized, orderId, 1, { ...facts, authorizedAt: '2026-11-28T18:45:01.000Z' });
    const captured = event(paymentCaptured, orderId, 2, { ...facts, capturedAt: '2026-11-28T18:45:03.000Z' });
    await publish(authorized, captured);
    // Quiet nearly all day long, yet the receipt goes at once: it is transactional.
    const [receipt] = await mailsTo(ken.address, 1);
    assert.equal(receipt?.headers['message-id'], messageIdOf(captured));
    assert.equal(receipt?.subject, `Receipt for order ${orderId.slice(0, 8)}`);
    assert.match(receipt?.text ?? '', /We charged ¥1,500 for your order on 28 Nov 2026, 13:45 \(America\/New_York\)/);
    const [item] = await settled(ken, orderId, 1);
    assert.deepEqual([item?.kind, item?.status, item?.dueAt], ['payment-receipt', 'sent', '2026-11-28T18:45:03.000Z']);
  });

  it('sends one e-mail for an event delivered twice', async () => {
    const alan = customer();
    await alan.setPreferences({ timeZone: 'UTC' });
    const orderId = randomUUID();
    const once = placed(orderId, alan.id);
    const duplicatesBefore = await duplicatesSkipped();
    await publish(once, once);
    await mailsTo(alan.address, 1);
    // The second delivery has been read and skipped by the inbox, and the sender has had many passes since.
    await eventually(async () => ((await duplicatesSkipped()) > duplicatesBefore ? true : undefined), { what: 'second delivery skipped' });
    await sleep(1_000);
    const emails = await mail.to(alan.address);
    assert.equal(byMessageId(emails, once).length, 1, 'exactly one e-mail with that Message-ID');
    assert.equal(emails.length, 1);
    assert.equal((await alan.notifications(orderId)).length, 1);
  });

  it('sends each e-mail once when two processes deliver the same outbox at once', async () => {
    // A second notifications process on the same database (its consumers idle): both senders poll
    // the outbox, and SKIP LOCKED lets each claim rows the other does not hold.
    const settings = loadNotificationsSettings({ ...env, LOG_LEVEL: 'error', ...issuer.environment });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer({ ...settings.orderEvents, name: `${consumer}-twin` });
    settings.paymentEvents = idleTestConsumer({ ...settings.paymentEvents, name: `${consumer}-twin-payments` });
    settings.delivery.pollIntervalMs = 100;
    const twin = await startService(settings, AppModule.forRoot(settings));
    try {
      const hedy = customer();
      await hedy.setPreferences({ timeZone: 'UTC' });
      const events = Array.from({ length: 12 }, () => placed(randomUUID(), hedy.id));
      await publish(...events);
      const emails = await mailsTo(hedy.address, events.length);
      await sleep(1_000);
      const all = await mail.to(hedy.address);
      assert.equal(all.length, events.length, `${all.length} e-mails for ${events.length} events`);
      for (const e of events) assert.equal(byMessageId(emails, e).length, 1);
    } finally {
      await twin.app.close();
    }
  });

  it("records 'no-address' and sends nothing for a customer without contact preferences", async () => {
    const nobody = customer();
    const orderId = randomUUID();
    await publish(placed(orderId, nobody.id));
    const [item] = await settled(nobody, orderId, 1);
    assert.deepEqual([item?.status, item?.recipient, item?.attemptCount], ['no-address', null, 0]);
  });

  it('keeps mail due while SMTP is cut — attempts recorded, breaker open, nothing sent — and delivers every one once after the heal', async () => {
    const barbara = customer();
    await barbara.setPreferences({ timeZone: 'America/New_York' });
    const registry = service.app.get(ServiceMetrics).registry;
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    const events = orders.map((orderId) => placed(orderId, barbara.id));
    await smtp.cut();
    try {
      await publish(...events);
      await eventually(async () => ((await metricValue(registry, 'faultline_dependency_breaker_state', { dependency: 'smtp' })) === 2 ? true : undefined), {
        timeoutMs: 20_000,
        what: 'SMTP breaker open',
      });
      const waiting = await eventually(async () => {
        const items = (await Promise.all(orders.map((o) => barbara.notifications(o)))).flat();
        return items.length === 3 && items.some((n) => n.attemptCount > 0) ? items : undefined;
      }, { timeoutMs: 20_000, what: 'failed attempts recorded' });
      assert.deepEqual(waiting.map((n) => n.status), ['due', 'due', 'due']);
      const failed = waiting.find((n) => n.attemptCount > 0);
      assert.equal(failed?.lastAttempt?.outcome, 'failed');
      assert.match(failed?.lastAttempt?.error ?? '', /smtp is unavailable|ECONNREFUSED|circuit breaker/i);
      // The breaker holds the outage back: the rows wait, no attempt reaches the cut link for a while.
      await sleep(500);
      assert.deepEqual(await mail.to(barbara.address), [], 'nothing was sent while the link was cut');
    } finally {
      await smtp.restore();
    }
    const emails = await mailsTo(barbara.address, 3, 30_000);
    for (const e of events) assert.equal(byMessageId(emails, e).length, 1, `one e-mail for ${e.eventId}`);
    const items = (await Promise.all(orders.map((o) => settled(barbara, o, 1)))).flat();
    assert.deepEqual(items.map((n) => n.status), ['sent', 'sent', 'sent']);
    assert.ok(items.some((n) => n.attemptCount > 1), 'a row that failed during the outage was sent on a later attempt');
    await eventually(async () => ((await metricValue(registry, 'faultline_dependency_breaker_state', { dependency: 'smtp' })) === 0 ? true : undefined), {
      what: 'SMTP breaker closed again',
    });
  });

  it('holds an acknowledgement placed in quiet hours that span a DST change until they end, and sends a rejection at once', async () => {
    // Quiet 01:00–03:00 local on the night the zone's clocks go forward: one hour, not two. The zone
    // is whichever of the two is not near those hours right now, so the sender (which checks quiet
    // hours again against the real now) sends at once and the test does not depend on the time of day.
    const cases = [
      { timeZone: 'America/New_York', placedAt: '2026-03-08T06:30:00.000Z', quietEnds: '2026-03-08T07:00:00.000Z' },
      { timeZone: 'Europe/London', placedAt: '2026-03-29T01:30:00.000Z', quietEnds: '2026-03-29T02:00:00.000Z' },
    ];
    const chosen = cases.find((c) => inZone(new Date(), c.timeZone).hour >= 4);
    assert.ok(chosen, 'New York and London are five hours apart: one of them is past 04:00');
    const lin = customer();
    await lin.setPreferences({ timeZone: chosen.timeZone, quietHours: { start: '01:00', end: '03:00' } });
    const orderId = randomUUID();
    const rejectedAt = new Date(Date.parse(chosen.placedAt) + 60_000).toISOString();
    const received = placed(orderId, lin.id, chosen.placedAt);
    const rejected = event(orderRejected, orderId, 2, { orderId, reason: 'payment declined', rejectedAt });
    await publish(received, rejected);
    const items = await settled(lin, orderId, 2);
    assert.deepEqual(
      items.map((n) => [n.kind, n.dueAt, n.status]),
      [
        ['order-placed', chosen.quietEnds, 'sent'],
        ['order-rejected', rejectedAt, 'sent'],
      ],
    );
    const emails = await mailsTo(lin.address, 2);
    assert.equal(byMessageId(emails, received).length, 1);
    assert.equal(byMessageId(emails, rejected).length, 1);
  });

  it("keeps an acknowledgement due, unsent, while the customer's quiet hours last", async () => {
    const now = new Date();
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const quietHours = { start: hhmm(new Date(now.getTime() - 3_600_000)), end: hhmm(new Date(now.getTime() + 3_600_000)) };
    const night = customer();
    await night.setPreferences({ timeZone: 'UTC', quietHours });
    const orderId = randomUUID();
    await publish(placed(orderId, night.id, now.toISOString()));
    const [item] = await eventually(async () => {
      const items = await night.notifications(orderId);
      return items.length === 1 ? items : undefined;
    }, { timeoutMs: 15_000, what: 'acknowledgement recorded' });
    const quietEnds = `${now.toISOString().slice(0, 10)}T${quietHours.end}:00.000Z`;
    const expected = Date.parse(quietEnds) > now.getTime() ? quietEnds : new Date(Date.parse(quietEnds) + 86_400_000).toISOString();
    assert.equal(item?.dueAt, expected, 'due when the quiet hours end');
    // Many sender passes later it is still due and nothing reached the mailbox.
    await sleep(1_000);
    const [still] = await night.notifications(orderId);
    assert.deepEqual([still?.status, still?.attemptCount], ['due', 0]);
    assert.deepEqual(await mail.to(night.address), []);
  });
});
