import type { ServerResponse } from 'node:http';
import { IDEMPOTENT_REPLAYED_HEADER } from '@faultline/shared/idempotency';
import { ReplayedPaymentProblem, type PaymentAnswer } from './idempotent-provider-call.js';
import { RetryablePaymentProblem } from './payment-problems.js';
import type { PaymentView } from './payments.schema.js';

/**
 * Runs a payment request and sets the headers its answer needs — `Idempotent-Replayed` on a stored
 * answer (success or failure), `Retry-After` on a retryable 503 — before the body or problem is sent.
 */
export async function answeringWithPaymentHeaders(response: ServerResponse, request: () => Promise<PaymentAnswer>): Promise<PaymentView> {
  try {
    const { payment, replayed } = await request();
    if (replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return payment;
  } catch (error) {
    if (error instanceof ReplayedPaymentProblem) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    if (error instanceof RetryablePaymentProblem) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    throw error;
  }
}
