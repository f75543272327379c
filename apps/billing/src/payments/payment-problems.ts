import { ProblemDetailsException } from '@faultline/shared/problem-details';

export const PaymentProblemType = {
  /** The provider declined the authorization: a final answer, replayed for the same key. */
  declined: 'urn:faultline:problem:payment-declined',
  /** The payment's status does not allow the change (capture of a voided payment…). */
  stateConflict: 'urn:faultline:problem:payment-state-conflict',
  /** The provider refused the request for a reason billing cannot fix by itself (an unexpected 4xx). */
  providerRefused: 'urn:faultline:problem:payment-provider-refused',
  /** The provider did not answer and its record of the key could not be read: retry with the same key. */
  outcomeUnknown: 'urn:faultline:problem:payment-outcome-unknown',
  /** Another request with the same key is still calling the provider: retry with the same key. */
  requestInFlight: 'urn:faultline:problem:payment-request-in-flight',
} as const;

/** A 503 that names when to retry; the controller turns `retryAfterSeconds` into `Retry-After`. */
export class RetryablePaymentProblem extends ProblemDetailsException {
  constructor(
    type: string,
    title: string,
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ type, title, status: 503, detail, retryAfterSeconds });
  }
}

export function paymentDeclined(detail: string): ProblemDetailsException {
  return new ProblemDetailsException({ type: PaymentProblemType.declined, title: 'Payment declined', status: 402, detail });
}

export function paymentStateConflict(detail: string): ProblemDetailsException {
  return new ProblemDetailsException({
    type: PaymentProblemType.stateConflict,
    title: 'The payment is not in a state that allows this',
    status: 409,
    detail,
  });
}

/** 502: the provider said no in a way that is billing's or the provider's fault, not the client's. */
export function paymentProviderRefused(error: { status: number; message: string }): ProblemDetailsException {
  return new ProblemDetailsException({
    type: PaymentProblemType.providerRefused,
    title: 'The payment provider refused the request',
    status: 502,
    detail: `The payment provider answered ${error.status}: ${error.message}. Resending will get the same answer; this needs an operator.`,
  });
}

export function paymentNotFound(paymentId: string): ProblemDetailsException {
  return ProblemDetailsException.notFound(`Billing has no payment ${paymentId}.`);
}

/** Seconds a client should wait before retrying a request whose outcome is not known yet. */
const OUTCOME_UNKNOWN_RETRY_AFTER_SECONDS = 2;

export function paymentOutcomeUnknown(key: string, cause: string): RetryablePaymentProblem {
  return new RetryablePaymentProblem(
    PaymentProblemType.outcomeUnknown,
    'Payment outcome not known yet',
    `The payment provider did not answer the request with Idempotency-Key "${key}" (${cause}), and whether it ` +
      'took effect cannot be established yet. Retry with the SAME key: billing resends it with the same provider ' +
      'key, so the provider makes the effect at most once.',
    OUTCOME_UNKNOWN_RETRY_AFTER_SECONDS,
  );
}

export function paymentRequestInFlight(key: string): RetryablePaymentProblem {
  return new RetryablePaymentProblem(
    PaymentProblemType.requestInFlight,
    'Payment request still in flight',
    `Another request with Idempotency-Key "${key}" is still waiting for the payment provider. Retry with the ` +
      'same key shortly to get its outcome.',
    1,
  );
}
