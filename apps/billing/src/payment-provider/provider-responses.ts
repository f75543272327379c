import { z } from 'zod';

/**
 * The provider's answers as schemas (contract A). A 200 whose body does not match is a failure —
 * counted by the breaker and retried — never a success (article 6: a corrupt body taken as a charge).
 */
export const providerAuthorizationSchema = z.object({
  id: z.string().startsWith('auth_'),
  status: z.enum(['authorized', 'captured', 'voided', 'refunded']),
  amountMinor: z.int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  customerReference: z.string(),
  orderReference: z.string(),
});

export const providerRequestRecordSchema = z.object({
  idempotencyKey: z.string(),
  operation: z.enum(['authorize', 'capture', 'void', 'refund']),
  status: z.enum(['succeeded', 'failed']),
  response: z.unknown(),
});
