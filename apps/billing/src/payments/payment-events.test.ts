import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEvent } from '@faultline/shared/contracts';
import { paymentDeclined, paymentStateConflict } from './payment-problems.js';
import { refusalEvent, statusEvent } from './payment-events.js';
import { paymentStatuses } from './payment-lifecycle.js';

const facts = {
  paymentId: '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f',
  orderId: '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f',
  customerId: '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f',
  amountMinor: 4_990,
  currency: 'JPY',
};
const at = new Date('2026-12-03T10:15:00.000Z');

/** The event as a consumer decodes it from its envelope. */
function decoded(event: { type: string; schemaVersion: number; payload: object }) {
  return decodeEvent({
    eventId: '0190f5c4-8a6b-7c3d-9e2f-000000000001',
    ...event,
    aggregateType: 'payment',
    aggregateId: facts.paymentId,
    sequence: 1,
    occurredAt: at.toISOString(),
    correlationId: 'checkout-1',
    causationId: 'request-1',
    producer: { name: 'billing', version: '0.1.0' },
  });
}

describe('payment events', () => {
  it('names each status reached as its event, with the payment, order, customer, amount and instant', () => {
    const instants = { authorized: 'authorizedAt', captured: 'capturedAt', voided: 'voidedAt', refunded: 'refundedAt' } as const;
    for (const status of paymentStatuses) {
      const event = decoded(statusEvent(facts, status, at));
      assert.equal(event.type, `billing.payment.${status}`);
      assert.equal(event.schemaVersion, 1);
      assert.deepEqual(event.payload, {
        paymentId: facts.paymentId,
        orderId: facts.orderId,
        customerId: facts.customerId,
        amount: { amountMinor: 4_990, currency: 'JPY' },
        [instants[status]]: '2026-12-03T10:15:00.000Z',
      });
    }
  });

  it('states a refusal as billing.payment.failed with the operation, the problem type as its code and the provider\'s words as its reason', () => {
    const declined = paymentDeclined('the payment provider declined the payment: The issuer declined this charge.').problem;
    const event = decoded(refusalEvent(facts, 'authorize', declined, at));
    assert.equal(event.type, 'billing.payment.failed');
    assert.deepEqual(event.payload, {
      paymentId: facts.paymentId,
      orderId: facts.orderId,
      customerId: facts.customerId,
      amount: { amountMinor: 4_990, currency: 'JPY' },
      operation: 'authorize',
      code: 'urn:faultline:problem:payment-declined',
      reason: 'the payment provider declined the payment: The issuer declined this charge.',
      failedAt: '2026-12-03T10:15:00.000Z',
    });
  });

  it('cuts a provider\'s over-long explanation to the 1,000 characters the contract holds', () => {
    const conflict = paymentStateConflict(`the payment provider refused the transition: ${'x'.repeat(2_000)}`).problem;
    const { payload } = refusalEvent(facts, 'capture', conflict, at) as { payload: { reason: string; operation: string } };
    assert.equal(payload.reason.length, 1_000);
    assert.equal(payload.operation, 'capture');
  });

  it('refuses to encode an event whose facts break the contract, before anything is written', () => {
    assert.throws(() => statusEvent({ ...facts, currency: 'yen' }, 'captured', at));
    assert.throws(() => statusEvent({ ...facts, orderId: 'order-1' }, 'authorized', at));
  });
});
