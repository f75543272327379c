import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenIssuer, USER_TOKEN_AUDIENCE, defineTokenPolicy } from '../auth/index.js';
import type { JSONWebKeySet } from 'jose';
import { OPERATOR_SCOPE } from '../access-control/index.js';
import { SystemClock, type Clock } from '../clock/index.js';

export interface TestIssuer {
  /** Its `iss`, and its base URL: `http://127.0.0.1:<port>`. */
  readonly issuerUrl: string;
  /** Where it serves its JWKS: `<issuerUrl>/oidc/jwks`, as the identity provider does. */
  readonly jwksUrl: string;
  /** Give it to the service under test: the service then trusts this issuer instead of the identity provider. */
  readonly environment: { FAULTLINE_TOKEN_ISSUER: string; FAULTLINE_JWKS_URL: string };
  /** A user token (`aud` faultline-api) for a customer, as an identity provider would issue it. */
  userToken(customerId: string): Promise<string>;
  /** A user token with the operator scope: company-wide reports. */
  operatorToken(subject: string): Promise<string>;
  /** A service token: `subject` is the calling service, `audience` the called one (`billing`). */
  serviceToken(subject: string, audience: string): Promise<string>;
  /**
   * A correctly signed user token whose `iss` is not Faultline's. Its key IS published here, so a
   * verifier gets past the signature and must refuse it on `iss` alone.
   */
  tokenFromAnotherIssuer(customerId: string): Promise<string>;
  /** The JWKS this issuer publishes (its own key and the other issuer's). */
  jwks(): JSONWebKeySet;
  stop(): Promise<void>;
}

/**
 * A real issuer for a service's own tests (article 2): a SigningKeyRing and TokenIssuer with the
 * production policy, its `iss` its own URL and its JWKS served over real HTTP on a free port, as the
 * identity provider's are. A service started with `environment` verifies its tokens exactly as it
 * verifies the identity provider's — so a billing test needs no identity provider, can mint a token
 * for any customer or service, and nothing about verification is faked. Whole-system runs
 * (scenarios, chaos, the demo) use the identity provider itself.
 */
export async function startTestIssuer(clock: Clock = new SystemClock()): Promise<TestIssuer> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/oidc/jwks') {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(jwks()));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A test issuer never keeps its test process alive on its own; `stop()` still closes it.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const issuerUrl = `http://127.0.0.1:${port}`;
  const jwksUrl = `${issuerUrl}/oidc/jwks`;
  const policy = defineTokenPolicy('test-issuer', { issuer: issuerUrl, audiences: [USER_TOKEN_AUDIENCE] }, {});
  const issuer = await TokenIssuer.create(policy, clock);
  const otherPolicy = defineTokenPolicy('test-issuer', { issuer: 'https://somebody-else.example', audiences: [USER_TOKEN_AUDIENCE] }, {});
  const otherIssuer = await TokenIssuer.create(otherPolicy, clock);
  const jwks = (): JSONWebKeySet => ({ keys: [...issuer.jwks().keys, ...otherIssuer.jwks().keys] });
  return {
    issuerUrl,
    jwksUrl,
    environment: { FAULTLINE_TOKEN_ISSUER: issuerUrl, FAULTLINE_JWKS_URL: jwksUrl },
    userToken: (customerId) => issuer.issue({ subject: customerId, audience: USER_TOKEN_AUDIENCE }),
    operatorToken: (subject) => issuer.issue({ subject, audience: USER_TOKEN_AUDIENCE, scopes: [OPERATOR_SCOPE] }),
    serviceToken: (subject, audience) => issuer.issue({ subject, audience }),
    tokenFromAnotherIssuer: (customerId) => otherIssuer.issue({ subject: customerId, audience: USER_TOKEN_AUDIENCE }),
    jwks,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
