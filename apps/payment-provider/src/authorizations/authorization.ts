/** Where a charge is: money held (`authorized`), taken (`captured`), released (`voided`) or given back (`refunded`). */
export type AuthorizationStatus = 'authorized' | 'captured' | 'voided' | 'refunded';

/** What a client asks the provider to do, as recorded against its Idempotency-Key. */
export type ProviderCommand = 'authorize' | 'capture' | 'void' | 'refund';

/** A command on an existing authorization. */
export type AuthorizationTransition = Exclude<ProviderCommand, 'authorize'>;

/** Every request that reaches the provider's /v1 API, as counted by /admin/stats. */
export type ProviderOperation = ProviderCommand | 'lookup';

export const PROVIDER_OPERATIONS: readonly ProviderOperation[] = ['authorize', 'capture', 'void', 'refund', 'lookup'];

/** The only moves a real provider allows (think Stripe PaymentIntents): each from exactly one status. */
const TRANSITIONS: Record<AuthorizationTransition, { from: AuthorizationStatus; to: AuthorizationStatus }> = {
  capture: { from: 'authorized', to: 'captured' },
  void: { from: 'authorized', to: 'voided' },
  refund: { from: 'captured', to: 'refunded' },
};

/** The status after `transition`, or undefined when an authorization in `status` cannot make it. */
export function nextStatus(status: AuthorizationStatus, transition: AuthorizationTransition): AuthorizationStatus | undefined {
  const { from, to } = TRANSITIONS[transition];
  return status === from ? to : undefined;
}

/** The status a transition needs, for the message of a refused one. */
export function requiredStatus(transition: AuthorizationTransition): AuthorizationStatus {
  return TRANSITIONS[transition].from;
}
