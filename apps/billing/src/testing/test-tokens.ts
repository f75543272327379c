import { randomUUID } from 'node:crypto';
import { bearerFetch, startTestIssuer, type TestIssuer } from '@faultline/shared/testing';

let issuer: Promise<TestIssuer> | undefined;

/**
 * The test process's token issuer (article 2): a real one with its JWKS on a free port, started on
 * first use. Billing started with `await tokenEnvironment()` verifies its tokens as it verifies
 * orders', so a billing test needs no orders service. Call `stopTestIssuer()` in `after`.
 */
function testIssuer(): Promise<TestIssuer> {
  return (issuer ??= startTestIssuer());
}

/** The environment that points billing at the test issuer's JWKS. */
export async function tokenEnvironment(): Promise<{ FAULTLINE_JWKS_URL: string }> {
  return { FAULTLINE_JWKS_URL: (await testIssuer()).jwksUrl };
}

/** A user token for a fresh customer (`aud faultline-api`). */
export async function userToken(): Promise<string> {
  return (await testIssuer()).userToken(randomUUID());
}

/** `fetch` as a customer (user token): billing's customer, order and report routes. */
export const userFetch = bearerFetch(userToken);

/** `fetch` as the orders service (service token, `aud billing`): billing's /payments routes. */
export const serviceFetch = bearerFetch(async () => (await testIssuer()).serviceToken('orders', 'billing'));

export async function stopTestIssuer(): Promise<void> {
  const running = issuer;
  issuer = undefined;
  await (await running)?.stop();
}
