import { z } from 'zod';
import type { Authorization } from '../entities/index.js';

/** Amounts are integers in minor units; `z.int()` also keeps them exact as JS numbers (≤ 2^53). */
export const authorizeRequest = z
  .object({
    amountMinor: z.int().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code: three uppercase letters'),
    customerReference: z.string().min(1).max(200),
    orderReference: z.string().min(1).max(200),
  })
  .meta({ id: 'AuthorizeRequest' });
export type AuthorizeRequest = z.infer<typeof authorizeRequest>;

/** Capture, void and refund take no parameters: `{}` (or no body at all). */
export const emptyCommandBody = z.strictObject({}).optional().meta({ id: 'EmptyCommandBody' });
export type EmptyCommandBody = z.infer<typeof emptyCommandBody>;

export const authorizationView = z
  .object({
    id: z.string().startsWith('auth_'),
    status: z.enum(['authorized', 'captured', 'voided', 'refunded']),
    amountMinor: z.int().positive(),
    currency: z.string(),
    customerReference: z.string(),
    orderReference: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Authorization' });
export type AuthorizationView = z.infer<typeof authorizationView>;

export function toAuthorizationView(authorization: Authorization): AuthorizationView {
  return {
    id: authorization.id,
    status: authorization.status,
    amountMinor: authorization.amountMinor,
    currency: authorization.currency,
    customerReference: authorization.customerReference,
    orderReference: authorization.orderReference,
    createdAt: authorization.createdAt.toISOString(),
    updatedAt: authorization.updatedAt.toISOString(),
  };
}
