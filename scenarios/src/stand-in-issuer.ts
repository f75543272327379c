import { startTestIssuer, type TestIssuer } from '@faultline/shared/testing';

interface Running {
  issuer: TestIssuer;
  tokens: Map<string, Promise<string>>;
}

/** Scenarios run one at a time (the ports are fixed), so one stand-in at a time is all there is. */
let running: Running | undefined;

/**
 * For a scenario that runs billing without orders (article 2): a real token issuer stands in for
 * orders' — same policy, same `iss`, its JWKS on a free port — so billing verifies tokens exactly as
 * it does in production. Pass the returned environment to billing; stop it in `finally`.
 */
export async function startStandInIssuer(): Promise<{ FAULTLINE_JWKS_URL: string }> {
  await stopStandInIssuer();
  const issuer = await startTestIssuer();
  running = { issuer, tokens: new Map() };
  return { FAULTLINE_JWKS_URL: issuer.jwksUrl };
}

export async function stopStandInIssuer(): Promise<void> {
  const stopping = running;
  running = undefined;
  await stopping?.issuer.stop();
}

/** `fetch` as the orders service calling billing: a service token (`sub orders`, `aud billing`). */
export const asOrdersService: typeof fetch = (input, init) => withToken('service', (issuer) => issuer.serviceToken('orders', 'billing'), input, init);

/** `fetch` as `customerId`: a user token (`aud faultline-api`) for that customer, who acts only on their own data. */
export function asCustomer(customerId: string): typeof fetch {
  return (input, init) => withToken(`user:${customerId}`, (issuer) => issuer.userToken(customerId), input, init);
}

async function withToken(
  kind: string,
  issue: (issuer: TestIssuer) => Promise<string>,
  input: Parameters<typeof fetch>[0],
  init: RequestInit = {},
): Promise<Response> {
  if (!running) throw new Error('no stand-in issuer is running: call startStandInIssuer() before calling billing');
  let token = running.tokens.get(kind);
  if (!token) {
    token = issue(running.issuer);
    running.tokens.set(kind, token);
  }
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await token}`);
  return fetch(input, { ...init, headers });
}
