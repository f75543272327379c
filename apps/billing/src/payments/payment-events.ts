import {
  paymentAuthorized,
  paymentCaptured,
  paymentFailed,
  paymentRefunded,
  paymentVoided,
  type PaymentEventOperation,
} from '@faultline/shared/contracts';
import type { ProblemDetails } from '@faultline/shared/problem-details';
import type { PaymentStatus } from './payment-lifecycle.js';

/** What every payment event states about its payment, from the ledger row or the refused request. */
export interface PaymentFacts {
  paymentId: string;
  orderId: string;
  customerId: string;
  amountMinor: number;
  currency: string;
}

/** An event as the outbox takes it, at the newest schemaVersion, its payload validated by its contract. */
export interface EncodedPaymentEvent {
  type: string;
  schemaVersion: number;
  payload: object;
}

/** The failed event's `reason` holds at most this many characters (its contract's bound). */
const MAX_REASON_LENGTH = 1_000;

/** Pure: the event that says a payment reached `status` at `at` (authorized, captured, voided, refunded). */
export function statusEvent(facts: PaymentFacts, status: PaymentStatus, at: Date): EncodedPaymentEvent {
  const fields = factsOf(facts);
  const instant = at.toISOString();
  switch (status) {
    case 'authorized':
      return paymentAuthorized.encode({ ...fields, authorizedAt: instant });
    case 'captured':
      return paymentCaptured.encode({ ...fields, capturedAt: instant });
    case 'voided':
      return paymentVoided.encode({ ...fields, voidedAt: instant });
    case 'refunded':
      return paymentRefunded.encode({ ...fields, refundedAt: instant });
  }
}

/**
 * Pure: the event that says the provider refused `operation` for good. `code` is the problem type the
 * client was answered with, `reason` its detail, which carries the provider's own words.
 */
export function refusalEvent(facts: PaymentFacts, operation: PaymentEventOperation, problem: ProblemDetails, at: Date): EncodedPaymentEvent {
  const reason = (problem.detail || problem.title).slice(0, MAX_REASON_LENGTH);
  return paymentFailed.encode({ ...factsOf(facts), operation, code: problem.type, reason, failedAt: at.toISOString() });
}

function factsOf({ paymentId, orderId, customerId, amountMinor, currency }: PaymentFacts) {
  return { paymentId, orderId, customerId, amount: { amountMinor, currency } };
}
