import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BILLING_PAYMENT_EVENTS_TOPIC,
  PAYMENT_AUTHORIZED,
  PAYMENT_CAPTURED,
  PAYMENT_FAILED,
  PAYMENT_REFUNDED,
  PAYMENT_VOIDED,
  paymentAuthorized,
  paymentCaptured,
  paymentFailed,
  paymentRefunded,
  paymentVoided,
  type PaymentCaptured,
} from './billing-events.js';
import { decodeEvent } from './decode-event.js';
import type { EventContract } from './event-contract.js';
import { eventContracts } from './event-registry.js';
import { MAX_STORED_INTEGER } from './event-envelope.js';
import { InvalidEventError } from './invalid-event-error.js';
import {
  ORDER_CONFIRMED,
  ORDER_EVENTS_TOPIC,
  ORDER_PAID,
  ORDER_REFUNDED,
  ORDER_PLACED,
  ORDER_REJECTED,
  orderConfirmed,
  orderPaid,
  orderRefunded,
  orderPlaced,
  orderPlacedV1,
  orderRejected,
  type OrderPlaced,
} from './orders-events.js';

function envelope(type: string, schemaVersion: number, payload: unknown, aggregateType = 'order') {
  return {
    eventId: '0190f5c4-8a6b-7c3d-9e2f-000000000001',
    type,
    schemaVersion,
    aggregateType,
    aggregateId: '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f',
    sequence: 1,
    occurredAt: '2026-11-28T18:45:00.000Z',
    correlationId: 'checkout-1',
    causationId: 'request-1',
    producer: { name: 'orders', version: '0.1.0' },
    payload,
  };
}

function invalidReason(raw: unknown): string {
  try {
    decodeEvent(raw);
  } catch (error) {
    assert.ok(error instanceof InvalidEventError, `expected InvalidEventError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('expected decodeEvent to throw');
}

const everyVersion = [...eventContracts.values()].flatMap((contract) =>
  contract.versions.map((version) => ({ contract, version })),
);

describe('event contracts', () => {
  for (const { contract, version } of everyVersion) {
    it(`has an example of ${contract.type} v${version.schemaVersion} that its own schema accepts`, () => {
      assert.equal(version.schema.safeParse(version.example).success, true);
    });

    it(`decodes ${contract.type} v${version.schemaVersion} to v${contract.newestVersion} and the newest schema accepts it`, () => {
      const decoded = decodeEvent(envelope(contract.type, version.schemaVersion, version.example, contract.aggregateType));
      assert.equal(decoded.schemaVersion, contract.newestVersion);
      assert.equal(contract.schema.safeParse(decoded.payload).success, true);
    });
  }

  it('upcasts orders.order.placed v1 items and cents into v2 lines and a total in minor units', () => {
    const v1 = orderPlacedV1.parse(orderPlaced.versions[0]?.example);
    const decoded = decodeEvent(envelope(ORDER_PLACED, 1, v1));
    assert.ok(orderPlaced.matches(decoded));
    const payload: OrderPlaced = decoded.payload;
    assert.deepEqual(payload.lines, [{ sku: 'book', quantity: 2, unitPriceMinor: 1_250 }]);
    assert.deepEqual(payload.total, { amountMinor: 2_500, currency: 'EUR' });
  });

  it('rejects an unknown event type with a reason naming the type', () => {
    assert.match(invalidReason(envelope('orders.order.teleported', 1, {})), /unknown event type "orders\.order\.teleported"/);
  });

  it('rejects a schemaVersion newer than this code knows with a reason naming the version and the type', () => {
    assert.match(invalidReason(envelope(ORDER_PLACED, 9, {})), /unknown schemaVersion 9 of orders\.order\.placed \(this code knows 1 to 2\)/);
  });

  it('rejects a payload that fails the schema of its stated version', () => {
    assert.match(invalidReason(envelope(ORDER_PLACED, 1, { orderId: 'nope' })), /payload of orders\.order\.placed v1 fails its schema/);
  });

  it('rejects an envelope that fails its schema, and one whose aggregate type does not own the event type', () => {
    assert.match(invalidReason({ type: ORDER_PLACED }), /envelope fails its schema/);
    assert.match(invalidReason(envelope(ORDER_PLACED, 2, orderPlaced.versions[1]?.example, 'payment')), /not "payment"/);
  });

  it('rejects an aggregateId longer than 200 characters, which no consumer could key its checkpoint on', () => {
    const valid = envelope(ORDER_PLACED, 2, orderPlaced.versions[1]?.example);
    assert.match(invalidReason({ ...valid, aggregateId: 'x'.repeat(201) }), /aggregateId/);
    assert.doesNotThrow(() => decodeEvent({ ...valid, aggregateId: 'x'.repeat(200) }));
  });

  it('rejects a sequence or schemaVersion past the int columns every consumer stores them in', () => {
    const valid = envelope(ORDER_PLACED, 2, orderPlaced.versions[1]?.example);
    assert.match(invalidReason({ ...valid, sequence: MAX_STORED_INTEGER + 1 }), /sequence/);
    assert.match(invalidReason({ ...valid, sequence: Number.MAX_SAFE_INTEGER }), /sequence/);
    assert.doesNotThrow(() => decodeEvent({ ...valid, sequence: MAX_STORED_INTEGER }));
  });

  it('rejects text PostgreSQL cannot store (an unpaired surrogate, a NUL), naming the field, and keeps a well-formed pair', () => {
    const valid = envelope(ORDER_PLACED, 2, orderPlaced.versions[1]?.example) as ReturnType<typeof envelope> & { payload: { lines: { sku: string }[] } };
    const withSku = (sku: string) => ({ ...valid, payload: { ...valid.payload, lines: [{ ...valid.payload.lines[0], sku }] } });
    // As the consumer reads it: the JSON text escapes the half as \ud800, and JSON.parse brings it back.
    const parsed = (raw: unknown) => JSON.parse(JSON.stringify(raw)) as unknown;
    assert.match(invalidReason(parsed(withSku('tea\ud800'))), /payload\.lines\.0\.sku must be well-formed Unicode/);
    assert.match(invalidReason(parsed(withSku('\udfff'))), /unpaired surrogate/);
    assert.match(invalidReason(parsed({ ...valid, correlationId: 'a\u0000' })), /correlationId must not contain the NUL character/);
    assert.match(invalidReason(parsed({ ...valid, ['key\ud800']: 1 })), /its name must be well-formed Unicode/);
    assert.doesNotThrow(() => decodeEvent(parsed(withSku('tea \ud83c\udf75'))), 'an emoji is a well-formed surrogate pair');
  });

  it('encodes a producer payload at the newest version and refuses an invalid one', () => {
    const newest = orderPlaced.schema.parse(orderPlaced.versions[1]?.example);
    assert.deepEqual(orderPlaced.encode(newest), { type: ORDER_PLACED, schemaVersion: 2, payload: newest });
    assert.throws(() => orderPlaced.encode({ ...newest, lines: [] }));
  });

  it('knows the fulfilment saga\'s confirmed, rejected and paid events as order events on the orders topic', () => {
    for (const contract of [orderConfirmed, orderRejected, orderPaid]) {
      assert.equal(eventContracts.get(contract.type), contract);
      assert.equal(contract.aggregateType, 'order');
    }
    assert.deepEqual([ORDER_CONFIRMED, ORDER_REJECTED, ORDER_PAID], ['orders.order.confirmed', 'orders.order.rejected', 'orders.order.paid']);
    assert.equal(ORDER_EVENTS_TOPIC, 'orders.order.events');
  });

  it('refuses a confirmed or paid event without the payment that justifies it, and a rejection without a reason', () => {
    const confirmed = orderConfirmed.schema.parse(orderConfirmed.versions[0]?.example);
    assert.throws(() => orderConfirmed.encode({ ...confirmed, paymentId: 'not-a-uuid' }));
    const paid = orderPaid.schema.parse(orderPaid.versions[0]?.example);
    assert.throws(() => orderPaid.encode({ ...paid, paidAt: 'yesterday' }));
    const rejected = orderRejected.schema.parse(orderRejected.versions[0]?.example);
    assert.throws(() => orderRejected.encode({ ...rejected, reason: '' }));
    assert.deepEqual(orderRejected.encode(rejected), { type: ORDER_REJECTED, schemaVersion: 1, payload: rejected });
  });

  it('knows a refund as an order event that names the payment and the amount given back', () => {
    assert.equal(eventContracts.get(ORDER_REFUNDED), orderRefunded);
    assert.equal(orderRefunded.aggregateType, 'order');
    const refunded = orderRefunded.schema.parse(orderRefunded.versions[0]?.example);
    assert.throws(() => orderRefunded.encode({ ...refunded, paymentId: 'not-a-uuid' }));
    assert.throws(() => orderRefunded.encode({ ...refunded, amount: { amountMinor: -1, currency: 'EUR' } }));
    assert.throws(() => orderRefunded.encode({ ...refunded, amount: { amountMinor: 100, currency: 'euro' } }));
  });

  it('knows the billing payment events as payment events on their own topic, keyed by payment', () => {
    const contracts = [paymentAuthorized, paymentCaptured, paymentVoided, paymentRefunded, paymentFailed];
    assert.deepEqual(
      contracts.map((contract) => contract.type),
      [PAYMENT_AUTHORIZED, PAYMENT_CAPTURED, PAYMENT_VOIDED, PAYMENT_REFUNDED, PAYMENT_FAILED],
    );
    assert.deepEqual(
      [PAYMENT_AUTHORIZED, PAYMENT_CAPTURED, PAYMENT_VOIDED, PAYMENT_REFUNDED, PAYMENT_FAILED],
      ['billing.payment.authorized', 'billing.payment.captured', 'billing.payment.voided', 'billing.payment.refunded', 'billing.payment.failed'],
    );
    for (const contract of contracts) {
      assert.equal(eventContracts.get(contract.type), contract);
      assert.equal(contract.aggregateType, 'payment');
      assert.equal(contract.newestVersion, 1);
    }
    assert.equal(BILLING_PAYMENT_EVENTS_TOPIC, 'billing.payment.events');
  });

  it('decodes a payment event only under the payment aggregate type', () => {
    const example = paymentCaptured.versions[0]?.example;
    assert.doesNotThrow(() => decodeEvent(envelope(PAYMENT_CAPTURED, 1, example, 'payment')));
    assert.match(invalidReason(envelope(PAYMENT_CAPTURED, 1, example, 'order')), /not "order"/);
  });

  it('gives a receipt what it needs: who paid, for which order, how much', () => {
    const decoded = decodeEvent(envelope(PAYMENT_CAPTURED, 1, paymentCaptured.versions[0]?.example, 'payment'));
    assert.ok(paymentCaptured.matches(decoded));
    const captured: PaymentCaptured = decoded.payload;
    assert.deepEqual(
      { customerId: captured.customerId, orderId: captured.orderId, amount: captured.amount },
      {
        customerId: '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f',
        orderId: '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f',
        amount: { amountMinor: 2_450, currency: 'EUR' },
      },
    );
  });

  it('refuses a payment event without its payment, order or customer, with a bad amount or a local time', () => {
    const contracts: EventContract<unknown>[] = [paymentAuthorized, paymentCaptured, paymentVoided, paymentRefunded, paymentFailed];
    for (const contract of contracts) {
      const valid = contract.schema.parse(contract.versions[0]?.example) as Record<string, unknown>;
      for (const field of ['paymentId', 'orderId', 'customerId']) {
        assert.throws(() => contract.encode({ ...valid, [field]: 'not-a-uuid' }), `${contract.type} ${field}`);
        const without = { ...valid };
        delete without[field];
        assert.throws(() => contract.encode(without), `${contract.type} without ${field}`);
      }
      assert.throws(() => contract.encode({ ...valid, amount: { amountMinor: -1, currency: 'EUR' } }), contract.type);
      assert.throws(() => contract.encode({ ...valid, amount: { amountMinor: 1.5, currency: 'EUR' } }), contract.type);
      assert.throws(() => contract.encode({ ...valid, amount: { amountMinor: 100, currency: 'eur' } }), contract.type);
      const instant = Object.keys(valid).find((key) => key.endsWith('At'));
      assert.ok(instant, `${contract.type} names its instant`);
      assert.throws(() => contract.encode({ ...valid, [instant]: '2026-11-28 18:45:00' }), `${contract.type} ${instant}`);
    }
  });

  it('refuses a failed payment event that does not say which operation failed, or why', () => {
    const failed = paymentFailed.schema.parse(paymentFailed.versions[0]?.example);
    for (const operation of ['authorize', 'capture', 'void', 'refund'] as const) {
      assert.equal(paymentFailed.encode({ ...failed, operation }).payload.operation, operation);
    }
    assert.throws(() => paymentFailed.encode({ ...failed, operation: 'teleport' as 'authorize' }));
    assert.throws(() => paymentFailed.encode({ ...failed, reason: '' }));
    assert.throws(() => paymentFailed.encode({ ...failed, code: '' }));
    const withoutReason: Partial<typeof failed> = { ...failed };
    delete withoutReason.reason;
    assert.throws(() => paymentFailed.encode(withoutReason as typeof failed));
    assert.match(invalidReason(envelope(PAYMENT_FAILED, 1, { ...failed, operation: 'teleport' }, 'payment')), /payload of billing\.payment\.failed v1 fails its schema/);
  });
});
