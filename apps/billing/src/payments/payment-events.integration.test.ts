import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { BILLING_PAYMENT_EVENTS_TOPIC, decodeEvent, type DecodedEvent } from '@faultline/shared/contracts';
import { KafkaClient, type ReceivedMessage, type TopicWatcher } from '@faultline/shared/messaging';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem } from '@faultline/shared/testing';
import { startPaymentProviderProcess, type PaymentProviderProcess } from '../payment-provider/testing/payment-provider-process.js';
import { serviceFetch, stopTestIssuer } from '../testing/test-tokens.js';
import type { PaymentView } from './payments.schema.js';
import { anAuthorization, postJson, startBillingAgainstProvider } from './testing/billing-under-test.js';

const decode = (message: ReceivedMessage) => decodeEvent(JSON.parse(message.value ?? 'null'));

// Billing's payment events (ADR 0019) on the real billing database, the real Kafka and the real
// payment provider: what a consumer of `billing.payment.events` sees for each payment.
describe('billing.payment.* events through billing\'s outbox', () => {
  let provider: PaymentProviderProcess;
  let billing: RunningService;
  let watcher: TopicWatcher;
  let database: DataSource;
  const url = (path: string) => `${billing.url}/payments${path}`;

  const authorize = async (body = anAuthorization(), key = randomUUID()) => {
    const response = await postJson(url('/authorizations'), body, key);
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as PaymentView;
  };
  const change = async (paymentId: string, operation: 'capture' | 'void' | 'refund', key = randomUUID()) => {
    const response = await postJson(url(`/${paymentId}/${operation}`), {}, key);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as PaymentView;
  };
  /** The payment's events on the topic once its event `sequence` arrived: everything the relay wrote before it, in order. */
  const eventsUpTo = async (paymentId: string, sequence: number): Promise<DecodedEvent[]> => {
    await watcher.waitFor((m) => m.key === paymentId && decode(m).sequence === sequence, 15_000);
    return watcher.messages.filter((m) => m.key === paymentId).map(decode);
  };
  const outboxRows = (paymentId: string): Promise<{ sequence: number; event_type: string }[]> =>
    database.query(`SELECT sequence, event_type FROM outbox WHERE aggregate_type = 'payment' AND aggregate_id = $1 ORDER BY sequence`, [paymentId]);

  before(async () => {
    provider = await startPaymentProviderProcess();
    billing = await startBillingAgainstProvider(provider.port);
    database = billing.app.get(DataSource);
    watcher = await billing.app.get(KafkaClient).watchTopic(BILLING_PAYMENT_EVENTS_TOPIC);
  });
  afterEach(() => provider?.clearFaults());
  after(async () => {
    await watcher?.stop();
    await billing?.app.close();
    await provider?.stop();
    await stopTestIssuer();
  });

  it('publishes authorized, captured, refunded as sequences 1, 2, 3 of the payment, keyed by its id, on one partition', async () => {
    const request = anAuthorization(12_345);
    const correlationId = `checkout-${randomUUID()}`;
    const response = await serviceFetch(url('/authorizations'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), 'x-correlation-id': correlationId },
      body: JSON.stringify(request),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const payment = (await response.json()) as PaymentView;
    await change(payment.paymentId, 'capture');
    const refunded = await change(payment.paymentId, 'refund');

    const events = await eventsUpTo(payment.paymentId, 3);
    assert.deepEqual(
      events.map((event) => [event.sequence, event.type]),
      [
        [1, 'billing.payment.authorized'],
        [2, 'billing.payment.captured'],
        [3, 'billing.payment.refunded'],
      ],
    );
    const messages = watcher.messages.filter((m) => m.key === payment.paymentId);
    assert.equal(new Set(messages.map((m) => m.partition)).size, 1, 'one payment, one partition');
    for (const event of events) {
      assert.equal(event.aggregateType, 'payment');
      assert.equal(event.aggregateId, payment.paymentId);
      assert.equal(event.producer.name, 'billing');
      assert.equal((event.payload as { customerId: string }).customerId, request.customerId);
    }
    assert.equal(events[0]?.correlationId, correlationId, "the authorization's event carries the caller's correlation id");
    assert.deepEqual(events[1]?.payload, {
      paymentId: payment.paymentId,
      orderId: request.orderId,
      customerId: request.customerId,
      amount: { amountMinor: 12_345, currency: 'EUR' },
      capturedAt: (events[1]?.payload as { capturedAt: string }).capturedAt,
    });
    assert.equal((events[2]?.payload as { refundedAt: string }).refundedAt, refunded.updatedAt);
  });

  it('publishes voided as the second event of a voided payment', async () => {
    const { paymentId } = await authorize();
    await change(paymentId, 'void');
    assert.deepEqual(
      (await eventsUpTo(paymentId, 2)).map((event) => [event.sequence, event.type]),
      [
        [1, 'billing.payment.authorized'],
        [2, 'billing.payment.voided'],
      ],
    );
  });

  it('appends nothing for a replayed request: the same key twice is one event, and sequences stay gapless', async () => {
    const request = anAuthorization();
    const authorizeKey = randomUUID();
    const captureKey = randomUUID();
    const { paymentId } = await authorize(request, authorizeKey);
    await authorize(request, authorizeKey);
    await change(paymentId, 'capture', captureKey);
    const replay = await postJson(url(`/${paymentId}/capture`), {}, captureKey);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    // A later change's event comes after anything the replays could have appended (the relay
    // publishes in the order rows were written), so the topic is complete for this payment once it arrives.
    await change(paymentId, 'refund');

    const events = await eventsUpTo(paymentId, 3);
    assert.deepEqual(
      events.map((event) => [event.sequence, event.type]),
      [
        [1, 'billing.payment.authorized'],
        [2, 'billing.payment.captured'],
        [3, 'billing.payment.refunded'],
      ],
    );
    assert.deepEqual((await outboxRows(paymentId)).map((row) => row.sequence), [1, 2, 3]);
  });

  it('publishes a declined authorization as billing.payment.failed with the reason, once, for a payment that never opened', async () => {
    const request = anAuthorization(7_700);
    const key = randomUUID();
    await provider.setFaults({ decline: true, times: 1 });
    const problem = await expectProblem(await postJson(url('/authorizations'), request, key), 402);
    assert.equal(problem.type, 'urn:faultline:problem:payment-declined');
    const replayed = await postJson(url('/authorizations'), request, key);
    assert.equal(replayed.status, 402);
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');

    const ofOrder = (m: ReceivedMessage) => (JSON.parse(m.value ?? 'null') as { payload?: { orderId?: string } } | null)?.payload?.orderId === request.orderId;
    const message = await watcher.waitFor(ofOrder, 15_000);
    const failed = decode(message);
    assert.equal(failed.type, 'billing.payment.failed');
    assert.equal(failed.sequence, 1);
    assert.equal(failed.aggregateId, message.key);
    const payload = failed.payload as Record<string, unknown>;
    assert.deepEqual(
      { ...payload, reason: undefined, failedAt: undefined },
      {
        paymentId: failed.aggregateId,
        orderId: request.orderId,
        customerId: request.customerId,
        amount: { amountMinor: 7_700, currency: 'EUR' },
        operation: 'authorize',
        code: 'urn:faultline:problem:payment-declined',
        reason: undefined,
        failedAt: undefined,
      },
    );
    assert.match(String(payload.reason), /declined/);
    assert.equal(problem.detail, payload.reason, "the event's reason is what the client was told");
    // No payment behind it, and the replay appended nothing.
    await expectProblem(await serviceFetch(url(`/${failed.aggregateId}`)), 404);
    assert.deepEqual(await outboxRows(failed.aggregateId), [{ sequence: 1, event_type: 'billing.payment.failed' }]);
  });

  it('publishes a capture the provider refuses as billing.payment.failed, the next event of a payment whose status stays', async () => {
    const payment = await authorize();
    // The provider's copy moves on without billing (an operator voided it at the provider's console).
    const voided = await fetch(`${provider.url}/v1/authorizations/${payment.providerAuthorizationId}/void`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(voided.status, 200, await voided.clone().text());
    const problem = await expectProblem(await postJson(url(`/${payment.paymentId}/capture`), {}), 409);

    const events = await eventsUpTo(payment.paymentId, 2);
    assert.deepEqual(
      events.map((event) => [event.sequence, event.type]),
      [
        [1, 'billing.payment.authorized'],
        [2, 'billing.payment.failed'],
      ],
    );
    const failed = events[1]?.payload as { operation: string; code: string; reason: string };
    assert.deepEqual([failed.operation, failed.code], ['capture', 'urn:faultline:problem:payment-state-conflict']);
    assert.equal(failed.reason, problem.detail);
    assert.equal(((await (await serviceFetch(url(`/${payment.paymentId}`))).json()) as PaymentView).status, 'authorized');
  });

  it('commits a status change and its event together: when the event cannot be written, the change rolls back too', async () => {
    const payment = await authorize();
    const key = randomUUID();
    // Sequence 2 of this payment is taken (already published, so the relay leaves it alone): the
    // capture's append fails on the outbox's unique (aggregate, sequence) AFTER its status update.
    await database.query(
      `INSERT INTO outbox (event_id, topic, aggregate_type, aggregate_id, sequence, event_type, envelope, created_at, published_at)
       VALUES ($1, $2, 'payment', $3, 2, 'test.sequence.taken', '{}', now(), now())`,
      [randomUUID(), BILLING_PAYMENT_EVENTS_TOPIC, payment.paymentId],
    );
    const failed = await postJson(url(`/${payment.paymentId}/capture`), {}, key);
    assert.equal(failed.status, 500, await failed.clone().text());
    const [row] = (await database.query(`SELECT status, version FROM payments WHERE payment_id = $1`, [payment.paymentId])) as {
      status: string;
      version: number;
    }[];
    assert.deepEqual(row, { status: 'authorized', version: 1 }, 'neither the status nor the version moved');
    assert.deepEqual(await outboxRows(payment.paymentId), [
      { sequence: 1, event_type: 'billing.payment.authorized' },
      { sequence: 2, event_type: 'test.sequence.taken' },
    ]);

    // With the sequence free again, the retry with the same key records the capture and its event.
    await database.query(`DELETE FROM outbox WHERE aggregate_id = $1 AND event_type = 'test.sequence.taken'`, [payment.paymentId]);
    assert.equal((await change(payment.paymentId, 'capture', key)).status, 'captured');
    assert.deepEqual(
      (await eventsUpTo(payment.paymentId, 2)).map((event) => [event.sequence, event.type]),
      [
        [1, 'billing.payment.authorized'],
        [2, 'billing.payment.captured'],
      ],
    );
    assert.deepEqual((await provider.authorizationsFor(payment.orderId)).map((charge) => charge.status), ['captured']);
  });
});
