import { z } from 'zod';
import { EventContract } from './event-contract.js';

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
export const paymentAuthorizedV1 = z.object({ ...paymentFacts, authorizedAt: z.iso.datetime() });
export type PaymentAuthorizedV1 = z.infer<typeof paymentAuthorizedV1>;
export type PaymentAuthorized = PaymentAuthorizedV1;

export const paymentAuthorized = EventContract.define(PAYMENT_AUTHORIZED, PAYMENT_AGGREGATE, {
  schema: paymentAuthorizedV1,
  example: { ...examplePayment, authorizedAt: '2026-11-28T18:45:01.000Z' },
});

/** `billing.payment.captured`, schemaVersion 1: the customer is charged the amount (a receipt is due). */
export const paymentCapturedV1 = z.object({ ...paymentFacts, capturedAt: z.iso.datetime() });
export type PaymentCapturedV1 = z.infer<typeof paymentCapturedV1>;
export type PaymentCaptured = PaymentCapturedV1;

export const paymentCaptured = EventContract.define(PAYMENT_CAPTURED, PAYMENT_AGGREGATE, {
  schema: paymentCapturedV1,
  example: { ...examplePayment, capturedAt: '2026-11-28T18:45:03.000Z' },
});

/** `billing.payment.voided`, schemaVersion 1: the authorization is released; the customer was never charged. */
export const paymentVoidedV1 = z.object({ ...paymentFacts, voidedAt: z.iso.datetime() });
export type PaymentVoidedV1 = z.infer<typeof paymentVoidedV1>;
export type PaymentVoided = PaymentVoidedV1;

export const paymentVoided = EventContract.define(PAYMENT_VOIDED, PAYMENT_AGGREGATE, {
  schema: paymentVoidedV1,
  example: { ...examplePayment, voidedAt: '2026-11-28T18:45:03.000Z' },
});

/** `billing.payment.refunded`, schemaVersion 1: the captured amount is given back in full. */
export const paymentRefundedV1 = z.object({ ...paymentFacts, refundedAt: z.iso.datetime() });
export type PaymentRefundedV1 = z.infer<typeof paymentRefundedV1>;
export type PaymentRefunded = PaymentRefundedV1;

export const paymentRefunded = EventContract.define(PAYMENT_REFUNDED, PAYMENT_AGGREGATE, {
  schema: paymentRefundedV1,
  example: { ...examplePayment, refundedAt: '2026-11-28T19:05:00.000Z' },
});

/**
 * `billing.payment.failed`, schemaVersion 1: the provider refused `operation` for good (a declined
 * card, a transition its copy of the charge rules out); the payment's status did not change. `code`
 * is the problem type billing answered with (`urn:faultline:problem:payment-declined`,
 * `…:payment-state-conflict`, `…:payment-provider-refused`), `reason` the provider's own words.
 * A refused authorization has a payment id of its own and no payment behind it: its stream is this
 * one event (ADR 0019).
 */
export const paymentFailedV1 = z.object({
  ...paymentFacts,
  operation: z.enum(paymentEventOperations),
  code: z.string().min(1).max(200),
  reason: z.string().min(1).max(1_000),
  failedAt: z.iso.datetime(),
});
export type PaymentFailedV1 = z.infer<typeof paymentFailedV1>;
export type PaymentFailed = PaymentFailedV1;

export const paymentFailed = EventContract.define(PAYMENT_FAILED, PAYMENT_AGGREGATE, {
  schema: paymentFailedV1,
  example: {
    ...examplePayment,
    operation: 'authorize',
    code: 'urn:faultline:problem:payment-declined',
    reason: 'the payment provider declined the payment: The issuer declined this charge.',
    failedAt: '2026-11-28T18:45:01.000Z',
  },
});
