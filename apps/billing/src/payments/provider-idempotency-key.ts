import { createHash } from 'node:crypto';
import type { PaymentOperation } from './payment-lifecycle.js';

/** The longest key billing sends; client keys are up to 255 characters, like the provider's. */
const MAX_PROVIDER_KEY_LENGTH = 255;

/**
 * The Idempotency-Key billing sends to the provider, derived from the client's key (article 6): a
 * retry of the same billing request — after a timeout, a crash, a lost response — reaches the
 * provider with the same key, so the provider answers with the charge it already made instead of
 * making a second one. The operation is part of it, so one client key can never name two effects.
 * A key that would be too long is replaced by its SHA-256, which is just as stable.
 */
export function providerIdempotencyKey(operation: PaymentOperation, billingKey: string): string {
  const readable = `billing:${operation}:${billingKey}`;
  if (readable.length <= MAX_PROVIDER_KEY_LENGTH) return readable;
  return `billing:${operation}:sha256:${createHash('sha256').update(billingKey).digest('hex')}`;
}
