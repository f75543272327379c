import { randomUUID } from 'node:crypto';
import { bearerFetch, startTestIssuer, type TestIssuer } from '@faultline/shared/testing';

let issuer: Promise<TestIssuer> | undefined;

/**
 * The test process's token issuer (article 2): a real one with its JWKS on a free port, started on
 * first use. Billing started with `await tokenEnvironment()` verifies its tokens as it verifies the
 * identity provider's, so a billing test needs no identity provider. Call `stopTestIssuer()` in `after`.
 */
function testIssuer(): Promise<TestIssuer> {
  return (issuer ??= startTestIssuer());
}

/** The environment that makes billing trust the test issuer instead of the identity provider. */
export async function tokenEnvironment(): Promise<TestIssuer['environment']> {
  return (await testIssuer()).environment;
}

/** A user token (`aud faultline-api`) for a customer, a fresh one unless named. */
export async function userToken(customerId: string = randomUUID()): Promise<string> {
  return (await testIssuer()).userToken(customerId);
}

const customers = new Map<string, typeof fetch>();

/** `fetch` as one customer (user token, `sub` = customerId): that customer's profile, orders and reports. */
export function customerFetch(customerId: string): typeof fetch {
  let customer = customers.get(customerId);
  if (!customer) {
    customer = bearerFetch(() => userToken(customerId));
    customers.set(customerId, customer);
  }
  return customer;
}

/** `fetch` as an operator (user token with the operator scope): company-wide reports. */
export const operatorFetch = bearerFetch(async () => (await testIssuer()).operatorToken(randomUUID()));

/** `fetch` as the orders service (service token, `aud billing`): billing's /payments routes. */
export const serviceFetch = bearerFetch(async () => (await testIssuer()).serviceToken('orders', 'billing'));

export async function stopTestIssuer(): Promise<void> {
  const running = issuer;
  issuer = undefined;
  customers.clear();
  await (await running)?.stop();
}
