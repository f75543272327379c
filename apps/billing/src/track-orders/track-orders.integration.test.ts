import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { orderCancelled, orderPlaced } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS } from '@faultline/shared/dead-letter';
import { ORDERS_PRODUCER, OrderEventStream, buildEnvelope, eventually } from '@faultline/shared/testing';
import { OrderEventsTestBed } from '../testing/order-events-test-bed.js';

const bed = new OrderEventsTestBed('order-events');
const { run, customerId, topic, consumerName, produce, publish, order, metric } = bed;
const HOLD_BOUND_MS = 2_000;

/** What every envelope of this file states besides its event: this run's correlation, orders as producer. */
const origin = (orderId: string, sequence: number) => ({
  aggregateId: orderId,
  sequence,
  occurredAt: new Date().toISOString(),
  correlationId: `test-${run}`,
  causationId: `test-${run}`,
  producer: ORDERS_PRODUCER,
});
/** An orders.order.placed v1 from an orders service that predates v2 (producer 0.9.0). */
const placedV1 = (orderId: string) =>
  buildEnvelope(
    orderPlaced,
    {
      orderId,
      customerId,
      currency: 'EUR',
      items: [{ sku: 'book', quantity: 2, unitPriceCents: 1_250 }],
      totalCents: 2_500,
      placedAt: new Date().toISOString(),
    },
    { ...origin(orderId, 1), producer: { name: 'orders', version: '0.9.0' }, schemaVersion: 1 },
  );
const placedV2 = (orderId: string) =>
  buildEnvelope(
    orderPlaced,
    {
      orderId,
      customerId,
      lines: [{ sku: 'tea', quantity: 3, unitPriceMinor: 500 }],
      total: { amountMinor: 1_500, currency: 'JPY' },
      placedAt: new Date().toISOString(),
    },
    origin(orderId, 1),
  );
/** Sequence 2 unless the test sends it further ahead of "placed". */
const cancelled = (orderId: string, sequence = 2) =>
  buildEnvelope(orderCancelled, { orderId, reason: 'changed my mind', cancelledAt: new Date().toISOString() }, origin(orderId, sequence));

// The real billing AppModule against the real PostgreSQL and Kafka; events are produced directly.
describe('billing consuming order events', () => {
  /** Billing's copy once it has applied the order's event `version`. */
  const copyAt = (orderId: string, version: number) =>
    eventually(async () => {
      const copy = await order(orderId);
      return copy?.version === version ? copy : undefined;
    }, { what: `order ${orderId} copied at version ${version}` });
  /** Asserts that billing's copy, once at `version`, holds `fields` as given; a field given as undefined is absent. */
  const assertCopyHas = async (orderId: string, version: number, fields: Record<string, unknown>, message?: string) => {
    const copy = await copyAt(orderId, version);
    assert.deepEqual(Object.fromEntries(Object.keys(fields).map((field) => [field, copy[field]])), fields, message);
  };
  const stream = (amountMinor = 2_450) => new OrderEventStream({ customerId, total: { amountMinor, currency: 'EUR' }, correlationId: `test-${run}` });
  /**
   * Asserts billing's whole copy of a `stream()` order placed at 18:45, once at `version`: what every
   * such copy holds, and exactly `fields` besides.
   */
  const assertWholeCopy = async (order: OrderEventStream, version: number, fields: Record<string, unknown>) =>
    assert.deepEqual(await copyAt(order.orderId, version), {
      orderId: order.orderId,
      customerId,
      total: { amountMinor: 2_450, currency: 'EUR' },
      placedAt: '2026-11-28T18:45:00.000Z',
      version,
      ...fields,
    });

  before(() => bed.start({ partitions: 3, consumer: { holdBoundMs: HOLD_BOUND_MS }, watchDeadLetters: true }));
  after(() => bed.stop());

  it('keeps a copy of a placed order, upcasting a v1 event from an old producer to v2', async () => {
    const fromOldProducer = randomUUID();
    const fromNewProducer = randomUUID();
    await produce(fromOldProducer, placedV1(fromOldProducer));
    await produce(fromNewProducer, placedV2(fromNewProducer));
    const old = await eventually(() => order(fromOldProducer), { timeoutMs: 10_000, what: 'v1 order copied' });
    assert.deepEqual(
      { total: old.total, status: old.status, version: old.version, customerId: old.customerId },
      { total: { amountMinor: 2_500, currency: 'EUR' }, status: 'placed', version: 1, customerId },
    );
    const recent = await eventually(() => order(fromNewProducer), { what: 'v2 order copied' });
    assert.deepEqual(recent.total, { amountMinor: 1_500, currency: 'JPY' });
  });

  it('applies a cancelled event that arrives before placed once placed arrives, the held gauge going 1 then 0', async () => {
    const orderId = randomUUID();
    await produce(orderId, cancelled(orderId));
    await eventually(async () => ((await metric('ordering_guard_held_events', { consumer: consumerName })) === 1 ? true : undefined), {
      what: 'held gauge at 1',
    });
    assert.equal(await order(orderId), undefined, 'the early event is held, not applied');

    await produce(orderId, placedV1(orderId));
    const final = await eventually(
      async () => {
        const copy = await order(orderId);
        return copy?.status === 'cancelled' ? copy : undefined;
      },
      { what: 'order cancelled after placed arrived' },
    );
    assert.equal(final.version, 2);
    assert.equal(await metric('ordering_guard_held_events', { consumer: consumerName }), 0);
  });

  it('applies an event delivered twice only once', async () => {
    const orderId = randomUUID();
    const placed = placedV1(orderId);
    const duplicatesBefore = await metric('consumer_events_total', { consumer: consumerName, outcome: 'duplicate' });
    await produce(orderId, placed);
    await produce(orderId, placed);
    // The event after the duplicate is applied: the duplicate neither failed nor blocked the partition.
    await produce(orderId, cancelled(orderId));
    const copy = await eventually(async () => ((await order(orderId))?.status === 'cancelled' ? await order(orderId) : undefined), {
      what: 'order cancelled',
    });
    // The second delivery was seen and skipped: counted as a duplicate, and the copy holds exactly the
    // two events applied (placed, cancelled), where a second insert would have failed the partition.
    assert.equal(await metric('consumer_events_total', { consumer: consumerName, outcome: 'duplicate' }), duplicatesBefore + 1);
    assert.equal(copy?.version, 2);
  });

  it('follows a fulfilled order placed → confirmed → paid, keeping its payment and when each step happened', async () => {
    const order = stream();
    await publish([order.placed('2026-11-28T18:45:00.000Z'), order.confirmed('2026-11-28T18:45:02.000Z')]);
    await assertCopyHas(order.orderId, 2, { status: 'confirmed', payment: { paymentId: order.paymentId, confirmedAt: '2026-11-28T18:45:02.000Z' } });

    await publish([order.paid('2026-11-28T18:45:03.000Z')]);
    await assertWholeCopy(order, 3, {
      status: 'paid',
      payment: { paymentId: order.paymentId, confirmedAt: '2026-11-28T18:45:02.000Z', paidAt: '2026-11-28T18:45:03.000Z' },
      updatedAt: '2026-11-28T18:45:03.000Z',
    });
  });

  it('marks an order the saga gave up rejected with its reason, whether it was placed or already confirmed', async () => {
    const declined = stream();
    const captureFailed = stream();
    await publish([declined.placed('2026-11-28T18:45:00.000Z'), declined.rejected('2026-11-28T18:45:02.000Z', 'PaymentDeclined: card declined')]);
    await publish([
      captureFailed.placed('2026-11-28T18:46:00.000Z'),
      captureFailed.confirmed('2026-11-28T18:46:02.000Z'),
      captureFailed.rejected('2026-11-28T18:46:04.000Z', 'PaymentFailed: capture refused'),
    ]);
    await assertCopyHas(declined.orderId, 2, {
      status: 'rejected',
      rejection: { reason: 'PaymentDeclined: card declined', rejectedAt: '2026-11-28T18:45:02.000Z' },
      payment: undefined,
      updatedAt: '2026-11-28T18:45:02.000Z',
    });
    await assertCopyHas(captureFailed.orderId, 3, {
      status: 'rejected',
      rejection: { reason: 'PaymentFailed: capture refused', rejectedAt: '2026-11-28T18:46:04.000Z' },
      payment: { paymentId: captureFailed.paymentId, confirmedAt: '2026-11-28T18:46:02.000Z' },
    });
  });

  it("cancels an order with the customer's reason, and marks a paid one refunded when the payment is given back", async () => {
    const unpaid = stream();
    const paid = stream();
    await publish([
      unpaid.placed('2026-11-28T18:45:00.000Z'),
      unpaid.confirmed('2026-11-28T18:45:02.000Z'),
      unpaid.cancelled('2026-11-28T18:50:00.000Z', 'ordered the wrong size'),
      paid.placed('2026-11-28T18:45:00.000Z'),
      paid.confirmed('2026-11-28T18:45:02.000Z'),
      paid.paid('2026-11-28T18:45:03.000Z'),
      paid.cancelled('2026-11-28T19:00:00.000Z'),
    ]);
    const unpaidCancellation = { reason: 'ordered the wrong size', cancelledAt: '2026-11-28T18:50:00.000Z' };
    await assertCopyHas(unpaid.orderId, 3, { status: 'cancelled', cancellation: unpaidCancellation, refund: undefined, updatedAt: '2026-11-28T18:50:00.000Z' });
    await assertCopyHas(paid.orderId, 4, { status: 'cancelled', refund: undefined }, 'cancelled, its refund still due');

    await publish([paid.refunded('2026-11-28T19:05:00.000Z')]);
    await assertWholeCopy(paid, 5, {
      status: 'refunded',
      payment: { paymentId: paid.paymentId, confirmedAt: '2026-11-28T18:45:02.000Z', paidAt: '2026-11-28T18:45:03.000Z' },
      cancellation: { reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' },
      refund: { refundedAt: '2026-11-28T19:05:00.000Z' },
      updatedAt: '2026-11-28T19:05:00.000Z',
    });
  });

  it('changes nothing when an order event is delivered again, right away or after the order moved on', async () => {
    const refunded = stream();
    const rejected = stream();
    const [placed, confirmed, paid, cancelled, refund] = [
      refunded.placed('2026-11-28T18:45:00.000Z'),
      refunded.confirmed('2026-11-28T18:45:02.000Z'),
      refunded.paid('2026-11-28T18:45:03.000Z'),
      refunded.cancelled('2026-11-28T19:00:00.000Z'),
      refunded.refunded('2026-11-28T19:05:00.000Z'),
    ];
    const [placedToo, rejection] = [rejected.placed('2026-11-28T18:45:00.000Z'), rejected.rejected('2026-11-28T18:45:02.000Z')];
    const duplicatesBefore = await metric('consumer_events_total', { consumer: consumerName, outcome: 'duplicate' });
    // A confirmed or cancelled applied again after the order moved on would take its status back.
    await publish([placed, confirmed, confirmed, paid, confirmed, cancelled, refund, refund, cancelled, paid]);
    await publish([placedToo, rejection, rejection, placedToo]);
    await eventually(
      async () => ((await metric('consumer_events_total', { consumer: consumerName, outcome: 'duplicate' })) === duplicatesBefore + 7 ? true : undefined),
      { what: 'seven redeliveries counted as duplicates' },
    );

    await assertCopyHas(refunded.orderId, 5, {
      status: 'refunded',
      payment: { paymentId: refunded.paymentId, confirmedAt: '2026-11-28T18:45:02.000Z', paidAt: '2026-11-28T18:45:03.000Z' },
      cancellation: { reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' },
      refund: { refundedAt: '2026-11-28T19:05:00.000Z' },
      updatedAt: '2026-11-28T19:05:00.000Z',
    });
    await assertCopyHas(rejected.orderId, 2, { status: 'rejected', rejection: { reason: 'payment declined', rejectedAt: '2026-11-28T18:45:02.000Z' } });
    assert.equal(bed.deadLetters.messages.filter((m) => m.key === refunded.orderId || m.key === rejected.orderId).length, 0, 'no dead letter');
  });

  it('refuses, in the database, a status billing does not know and a status without the facts its event carries', async () => {
    const database = bed.service.app.get(DataSource);
    const insert = (status: string, extra: Record<string, string> = {}) =>
      database.query(
        `INSERT INTO billing_orders (order_id, customer_id, total_minor, currency, status, version, placed_at, updated_at${Object.keys(extra).map((c) => `, ${c}`).join('')})
         VALUES ($1, $2, 100, 'EUR', $3, 2, now(), now()${Object.keys(extra).map((_, i) => `, $${i + 4}`).join('')})`,
        [randomUUID(), customerId, status, ...Object.values(extra)],
      );
    const refused = (constraint: string) => (error: unknown) => (error as { constraint?: string }).constraint === constraint;
    await assert.rejects(insert('shipped'), refused('billing_orders_status_check'));
    await assert.rejects(insert('paid', { payment_id: randomUUID() }), refused('billing_orders_status_recorded'), 'paid without paid_at');
    await assert.rejects(insert('confirmed', { confirmed_at: '2026-11-28T18:45:02Z' }), refused('billing_orders_status_recorded'), 'confirmed without its payment');
    await assert.rejects(insert('rejected', { rejected_at: '2026-11-28T18:45:02Z' }), refused('billing_orders_status_recorded'), 'rejected without a reason');
    await assert.rejects(insert('refunded', { payment_id: randomUUID(), cancelled_at: '2026-11-28T19:00:00Z' }), refused('billing_orders_status_recorded'));
    await insert('refunded', { payment_id: randomUUID(), cancelled_at: '2026-11-28T19:00:00Z', refunded_at: '2026-11-28T19:05:00Z' });
  });

  it('dead-letters a malformed record after one attempt, with its context, and goes straight on to the next offset', async () => {
    const orderId = randomUUID();
    await produce(orderId, '{"eventId": "not json');
    const unknownType = { ...placedV1(orderId), type: 'orders.order.teleported' };
    await produce(orderId, unknownType);
    await produce(orderId, placedV1(orderId));

    const badJson = await bed.deadLetters.waitFor((m) => m.key === orderId && m.value === '{"eventId": "not json');
    const h = DEAD_LETTER_HEADERS;
    assert.equal(badJson.headers[h.reason], 'invalid-event');
    assert.equal(badJson.headers[h.errorClass], 'SyntaxError');
    assert.equal(badJson.headers[h.sourceTopic], topic);
    assert.match(badJson.headers[h.sourcePartition] ?? '', /^[0-2]$/);
    assert.match(badJson.headers[h.sourceOffset] ?? '', /^\d+$/);
    assert.equal(badJson.headers[h.consumer], consumerName);
    assert.equal(badJson.headers[h.consumerVersion], '0.1.0');
    assert.equal(badJson.headers[h.attempts], '1');
    assert.ok(!Number.isNaN(Date.parse(badJson.headers[h.firstFailureAt] ?? '')));

    const unknown = await bed.deadLetters.waitFor((m) => m.key === orderId && m.value === JSON.stringify(unknownType));
    assert.equal(unknown.headers[h.errorClass], 'InvalidEventError');
    assert.match(unknown.headers[h.errorMessage] ?? '', /unknown event type "orders.order.teleported"/);
    assert.equal(Number(unknown.headers[h.sourceOffset]), Number(badJson.headers[h.sourceOffset]) + 1);

    // The partition goes on past both: the next offset is applied. How fast is the bench's business;
    // the bound only keeps a broken consumer from holding the suite.
    const started = performance.now();
    await eventually(() => order(orderId), { timeoutMs: 30_000, intervalMs: 20, what: 'the offset after the two bad records applied' });
    console.log(`  the next offset was applied ${Math.round(performance.now() - started)} ms after the second dead letter`);
  });

  it('dead-letters an early event whose gap does not fill within the bound, and counts it on the alert metric', async () => {
    const orderId = randomUUID();
    const alertsBefore = await metric('ordering_guard_gap_dead_lettered_total', { consumer: consumerName });
    const early = cancelled(orderId, 3);
    await produce(orderId, early);

    const deadLetter = await bed.deadLetters.waitFor((m) => m.key === orderId, HOLD_BOUND_MS * 4);
    const h = DEAD_LETTER_HEADERS;
    assert.equal(deadLetter.value, JSON.stringify(early), 'the original value, byte for byte');
    assert.equal(deadLetter.headers[h.reason], 'ordering-gap-expired');
    assert.equal(deadLetter.headers[h.errorClass], 'OrderingGapExpired');
    assert.match(deadLetter.headers[h.errorMessage] ?? '', /sequence 3 .* for sequence 1, which had not arrived/);
    assert.equal(deadLetter.headers[h.sourceTopic], topic);
    assert.equal(deadLetter.headers[h.consumer], consumerName);
    const waited = Date.now() - Date.parse(deadLetter.headers[h.firstFailureAt] ?? '');
    assert.ok(waited >= HOLD_BOUND_MS, `dead-lettered after ${waited} ms, bound ${HOLD_BOUND_MS} ms`);

    // The metrics move once the sweep's transaction has committed, a moment after the DLQ write.
    await eventually(
      async () =>
        (await metric('ordering_guard_gap_dead_lettered_total', { consumer: consumerName })) === alertsBefore + 1 &&
        (await metric('ordering_guard_held_events', { consumer: consumerName })) === 0
          ? true
          : undefined,
      { what: 'alert metric counted and held gauge back to 0' },
    );
    assert.equal(await order(orderId), undefined);
  });
});
