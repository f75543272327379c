import type { ServiceProcess } from '@faultline/shared/testing';
import { signUp, startIdentity, userToken } from '@faultline/identity/testing';

/** A customer with their user token: orders are placed in their name only. */
export interface SignedInCustomer {
  customerId: string;
  token: string;
}

/**
 * The identity provider the bench's services trust (apps/identity), on a free port with its own
 * database; its issuer is its URL. It is all but idle while the clock runs: the clients sign in
 * before, the services fetch its JWKS on their first token (the warm-up) and cache it, and orders'
 * saga asks for its billing token in the warm-up too and reuses it until a minute before it expires
 * (a 10-minute lifetime, longer than a timed part lasts).
 */
export function startBenchIdentity(): Promise<ServiceProcess> {
  return startIdentity({ env: () => ({ LOG_LEVEL: 'warn' }) });
}

/**
 * What a service is given to trust `identity`'s tokens: its issuer (the keys are at the default
 * `<issuer>/oidc/jwks`). Orders also asks that issuer for its service tokens.
 */
export function trusting(identity: ServiceProcess): Record<string, string> {
  return { FAULTLINE_TOKEN_ISSUER: identity.url };
}

/**
 * One customer per client loop, each signed up at the identity provider and signed in with the
 * authorization code flow and PKCE, as a person does (article 2). Done before the clock starts: a
 * client signs in once, then sends orders; verifying the token and its owner on every request is
 * part of the measured command path.
 */
export async function signedInCustomers(identity: ServiceProcess, clients: number): Promise<(client: number) => SignedInCustomer> {
  const customers = await Promise.all(
    Array.from({ length: clients }, async () => {
      const customer = await signUp(identity.url);
      return { customerId: customer.customerId, token: await userToken(identity.url, customer) };
    }),
  );
  return (client) => customers[client % customers.length] ?? { customerId: '', token: '' };
}
