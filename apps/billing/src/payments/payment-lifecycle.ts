/**
 * A payment's life, as the provider tracks a charge (think Stripe PaymentIntents):
 * authorized → captured → refunded, or authorized → voided. Billing keeps the same statuses, taken
 * from the provider's answer, and refuses a change its own copy already rules out before it bothers
 * the provider.
 */
export const paymentStatuses = ['authorized', 'captured', 'voided', 'refunded'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** What a client asks billing to do; each one is one idempotent provider call. */
export const paymentOperations = ['authorize', 'capture', 'void', 'refund'] as const;
export type PaymentOperation = (typeof paymentOperations)[number];

/** The operations on an existing payment. */
export type PaymentChange = Exclude<PaymentOperation, 'authorize'>;

const transitions: Record<PaymentChange, { from: PaymentStatus; to: PaymentStatus }> = {
  capture: { from: 'authorized', to: 'captured' },
  void: { from: 'authorized', to: 'voided' },
  refund: { from: 'captured', to: 'refunded' },
};

export type ChangeDecision = { allowed: true; to: PaymentStatus } | { allowed: false; reason: string };

/** Whether `change` may be applied to a payment that is `current`; pure, so every pair is tested. */
export function decideChange(change: PaymentChange, current: PaymentStatus): ChangeDecision {
  const { from, to } = transitions[change];
  if (current === from) return { allowed: true, to };
  return { allowed: false, reason: `a ${current} payment cannot be ${pastTense[change]}: only an ${from} one can` };
}

const pastTense: Record<PaymentChange, string> = { capture: 'captured', void: 'voided', refund: 'refunded' };
