import { z } from 'zod';

/**
 * NIST SP 800-63B §3.1.1: at least 8 characters, any characters allowed (spaces and emoji too), no
 * composition rules; a generous upper bound only so a megabyte "password" cannot tie up scrypt.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const signUpRequest = z
  .object({
    email: z.string().trim().max(254).pipe(z.email('must be an e-mail address')),
    password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
  })
  .meta({ id: 'SignUpRequest' });
export type SignUpRequest = z.infer<typeof signUpRequest>;

export const signedUpAccount = z
  .object({
    /** The account's id: the `sub` of the customer's tokens, the customerId of every other service. */
    customerId: z.uuid(),
    email: z.string(),
  })
  .meta({ id: 'SignedUpAccount' });
export type SignedUpAccount = z.infer<typeof signedUpAccount>;
