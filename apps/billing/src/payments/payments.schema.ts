import { z } from 'zod';
import { paymentOperations, paymentStatuses } from './payment-lifecycle.js';
import type { Payment } from './payment.entity.js';

/** Amounts stay exact as JS numbers and as the provider's integers: at most 10^12 minor units. */
const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export const authorizePaymentRequest = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    amountMinor: z.int().min(1).max(MAX_AMOUNT_MINOR),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code: three uppercase letters'),
  })
  .meta({ id: 'AuthorizePaymentRequest' });
export type AuthorizePaymentRequest = z.infer<typeof authorizePaymentRequest>;

/** Capture, void and refund carry nothing but the key: the body is `{}` (or none). */
export const changePaymentRequest = z.strictObject({}).optional().meta({ id: 'ChangePaymentRequest' });

export const paymentView = z
  .object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    customerId: z.uuid(),
    amountMinor: z.int(),
    currency: z.string(),
    status: z.enum(paymentStatuses),
    providerAuthorizationId: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Payment' });
export type PaymentView = z.infer<typeof paymentView>;

export function toPaymentView(payment: Payment): PaymentView {
  return {
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    customerId: payment.customerId,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    status: payment.status,
    providerAuthorizationId: payment.providerAuthorizationId,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export const paymentList = z.object({ items: z.array(paymentView) }).meta({ id: 'PaymentList' });
export type PaymentList = z.infer<typeof paymentList>;

/** What billing knows about a key: how the saga resolves a call whose answer it never got. */
export const paymentRequestView = z
  .object({
    idempotencyKey: z.string(),
    operation: z.enum(paymentOperations),
    outcome: z.enum(['succeeded', 'failed', 'in-flight']),
    payment: paymentView.optional(),
    problem: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'PaymentRequest' });
export type PaymentRequestView = z.infer<typeof paymentRequestView>;
