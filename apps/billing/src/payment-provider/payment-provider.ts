import { DependencyClientError } from '@faultline/shared/resilience';

/** Where billing's payments use case injects the provider client from. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface ProviderAuthorization {
  id: string;
  status: 'authorized' | 'captured' | 'voided' | 'refunded';
  amountMinor: number;
  currency: string;
  customerReference: string;
  orderReference: string;
}

export interface AuthorizeRequest {
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  customerReference: string;
  orderReference: string;
}

/** The provider's record of one request, looked up by its idempotency key (article 6). */
export interface ProviderRequestRecord {
  status: 'succeeded' | 'failed';
  authorization?: ProviderAuthorization;
}

/**
 * Billing's view of the payment provider. Every call goes through the provider's circuit breaker
 * (article 1); transient failures surface as DependencyUnavailableError / DependencyTimeoutError
 * from `@faultline/shared/resilience` once the retries are spent. Every call names the business flow
 * it serves (the correlationId of billing's request), sent as `x-correlation-id`.
 */
export interface PaymentProvider {
  authorize(request: AuthorizeRequest, correlationId: string): Promise<ProviderAuthorization>;
  capture(authorizationId: string, idempotencyKey: string, correlationId: string): Promise<ProviderAuthorization>;
  void(authorizationId: string, idempotencyKey: string, correlationId: string): Promise<ProviderAuthorization>;
  refund(authorizationId: string, idempotencyKey: string, correlationId: string): Promise<ProviderAuthorization>;
  /** The provider's record of a request by key; undefined when it never received it. */
  findRequest(idempotencyKey: string, correlationId: string): Promise<ProviderRequestRecord | undefined>;
}

/** The provider declined the card (402). A 4xx: the breaker does not count it, nobody retries it. */
export class PaymentDeclinedError extends DependencyClientError {
  constructor(problem?: unknown) {
    super(402, `the payment provider declined the payment${detailOf(problem)}`, problem);
    this.name = 'PaymentDeclinedError';
  }
}

/** The provider refused an invalid transition (409), e.g. capturing a voided authorization. */
export class ProviderConflictError extends DependencyClientError {
  constructor(problem?: unknown) {
    super(409, `the payment provider refused the transition${detailOf(problem)}`, problem);
    this.name = 'ProviderConflictError';
  }
}

function detailOf(problem: unknown): string {
  if (typeof problem === 'object' && problem !== null && 'detail' in problem && typeof problem.detail === 'string') {
    return `: ${problem.detail}`;
  }
  return '';
}
