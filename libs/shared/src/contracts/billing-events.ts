import { z } from 'zod';
import { EventContract, type EventPayload } from './event-contract.js';

/**
 * The billing service's payment events: one topic per aggregate type, keyed by payment id. A
 * payment's events carry its sequence 1, 2, 3… (billing keeps it as the payment row's version), so a
 * consumer's ordering guard sees authorized before captured before refunded.
 */
export const BILLING_PAYMENT_EVENTS_TOPIC = 'billing.payment.events';
export const PAYMENT_AGGREGATE = 'payment';

export const PAYMENT_AUTHORIZED = 'billing.payment.authorized';
export const PAYMENT_CAPTURED = 'billing.payment.captured';
export const PAYMENT_VOIDED = 'billing.payment.voided';
export const PAYMENT_REFUNDED = 'billing.payment.refunded';
export const PAYMENT_FAILED = 'billing.payment.failed';

/** The operations billing asks the payment provider for; a failed event names which one was refused. */
export const paymentEventOperations = ['authorize', 'capture', 'void', 'refund'] as const;
export type PaymentEventOperation = (typeof paymentEventOperations)[number];

/** An amount in the currency's minor unit (cents, yen, fils), beside its ISO 4217 code. */
const paymentAmount = z.object({ amountMinor: z.int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) });

/** What every payment event says about the payment, whichever change it records. */
const paymentFacts = {
  paymentId: z.uuid(),
  orderId: z.uuid(),
  customerId: z.uuid(),
  amount: paymentAmount,
};

const examplePayment = {
  paymentId: '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f',
  orderId: '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f',
  customerId: '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f',
  amount: { amountMinor: 2_450, currency: 'EUR' },
};

/** `billing.payment.authorized`, schemaVersion 1: the provider holds the amount on the customer's card. */
export const paymentAuthorized = EventContract.define(PAYMENT_AUTHORIZED, PAYMENT_AGGREGATE, {
  schema: z.object({ ...paymentFacts, authorizedAt: z.iso.datetime() }),
  example: { ...examplePayment, authorizedAt: '2026-11-28T18:45:01.000Z' },
});
export type PaymentAuthorized = EventPayload<typeof paymentAuthorized>;

/** `billing.payment.captured`, schemaVersion 1: the customer is charged the amount (a receipt is due). */
export const paymentCaptured = EventContract.define(PAYMENT_CAPTURED, PAYMENT_AGGREGATE, {
  schema: z.object({ ...paymentFacts, capturedAt: z.iso.datetime() }),
  example: { ...examplePayment, capturedAt: '2026-11-28T18:45:03.000Z' },
});
export type PaymentCaptured = EventPayload<typeof paymentCaptured>;

/** `billing.payment.voided`, schemaVersion 1: the authorization is released; the customer was never charged. */
export const paymentVoided = EventContract.define(PAYMENT_VOIDED, PAYMENT_AGGREGATE, {
  schema: z.object({ ...paymentFacts, voidedAt: z.iso.datetime() }),
  example: { ...examplePayment, voidedAt: '2026-11-28T18:45:03.000Z' },
});
export type PaymentVoided = EventPayload<typeof paymentVoided>;

/** `billing.payment.refunded`, schemaVersion 1: the captured amount is given back in full. */
export const paymentRefunded = EventContract.define(PAYMENT_REFUNDED, PAYMENT_AGGREGATE, {
  schema: z.object({ ...paymentFacts, refundedAt: z.iso.datetime() }),
  example: { ...examplePayment, refundedAt: '2026-11-28T19:05:00.000Z' },
});
export type PaymentRefunded = EventPayload<typeof paymentRefunded>;

/**
 * `billing.payment.failed`, schemaVersion 1: the provider refused `operation` for good (a declined
 * card, a transition its copy of the charge rules out); the payment's status did not change. `code`
 * is the problem type billing answered with (`urn:faultline:problem:payment-declined`,
 * `…:payment-state-conflict`, `…:payment-provider-refused`), `reason` the provider's own words.
 * A refused authorization has a payment id of its own and no payment behind it: its stream is this
 * one event (ADR 0019).
 */
export const paymentFailed = EventContract.define(PAYMENT_FAILED, PAYMENT_AGGREGATE, {
  schema: z.object({
    ...paymentFacts,
    operation: z.enum(paymentEventOperations),
    code: z.string().min(1).max(200),
    reason: z.string().min(1).max(1_000),
    failedAt: z.iso.datetime(),
  }),
  example: {
    ...examplePayment,
    operation: 'authorize',
    code: 'urn:faultline:problem:payment-declined',
    reason: 'the payment provider declined the payment: The issuer declined this charge.',
    failedAt: '2026-11-28T18:45:01.000Z',
  },
});
export type PaymentFailed = EventPayload<typeof paymentFailed>;

/** Every event a payment records. */
export const paymentEventContracts = [paymentAuthorized, paymentCaptured, paymentVoided, paymentRefunded, paymentFailed] as const;
