import { z } from 'zod';

/**
 * An authorization id in a path. Loose on purpose: an id the provider never issued is a 404, as at a
 * real provider, not a validation error; the bound only keeps absurd input out of the query.
 */
export const authorizationId = z.string().min(1).max(100);
