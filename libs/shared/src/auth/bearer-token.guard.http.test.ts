import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SkewedClock, SystemClock } from '../clock/index.js';
import { PROBLEM_JSON, ProblemDetailsModule, type ProblemDetails } from '../problem-details/index.js';
import { BearerToken, INVALID_TOKEN_PROBLEM } from './bearer-token.guard.js';
import { remoteJwks } from './remote-jwks.js';
import { RequiresToken } from './requires-token.decorator.js';
import { TokenIssuer } from './token-issuer.js';
import { defineTokenPolicy } from './token-policy.js';
import { TokenVerifier, type VerifiedToken } from './token-verifier.js';

@Controller('payments')
class PaymentsController {
  @Post()
  @RequiresToken('billing', 'payments:write')
  authorize(@BearerToken() token: VerifiedToken): { authorizedFor: string } {
    return { authorizedFor: token.subject };
  }
}

// Two real servers on ephemeral ports: an issuer publishing its JWKS, and a service that fetches it
// over HTTP and guards a route — the way a Faultline service meets the identity provider.
describe('BearerTokenGuard over HTTP, with the JWKS fetched from the issuer', () => {
  const policy = defineTokenPolicy('billing', { issuer: 'faultline-orders', audiences: ['billing'] }, {});
  const issuerClock = new SkewedClock(new SystemClock(), 0);
  let issuer: TokenIssuer;
  let jwksServer: Server;
  let billingApp: INestApplication;
  let jwksAddress: URL;
  let payments: string;

  before(async () => {
    issuer = await TokenIssuer.create(policy, issuerClock);
    jwksServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(issuer.jwks()));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksAddress = new URL(`http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/oidc/jwks`);

    const verifier = new TokenVerifier(policy, remoteJwks(jwksAddress), new SystemClock());
    @Module({
      imports: [ProblemDetailsModule],
      controllers: [PaymentsController],
      providers: [{ provide: TokenVerifier, useValue: verifier }],
    })
    class BillingModule {}
    billingApp = await NestFactory.create(BillingModule, { logger: false, abortOnError: false });
    await billingApp.listen(0, '127.0.0.1');
    payments = `${await billingApp.getUrl()}/payments`;
  });
  after(async () => {
    await billingApp?.close();
    jwksServer?.closeAllConnections();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  const post = (token?: string) =>
    fetch(payments, { method: 'POST', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  async function problemFrom(response: Response): Promise<ProblemDetails> {
    assert.equal(response.headers.get('content-type')?.split(';')[0], PROBLEM_JSON);
    return (await response.json()) as ProblemDetails;
  }

  it('lets a valid token with the required scope through, and hands the handler its subject', async () => {
    const response = await post(await issuer.issue({ subject: 'customer-42', audience: 'billing', scopes: ['payments:write'] }));
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { authorizedFor: 'customer-42' });
  });

  it('answers a request without a token with 401 and a bare Bearer challenge', async () => {
    const response = await post();
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await problemFrom(response)).reason, 'missing');
  });

  it('answers a token from an issuer 31 s ahead with 401 naming nbf, in the problem and in WWW-Authenticate', async () => {
    issuerClock.setSkew(31_000);
    try {
      const response = await post(await issuer.issue({ subject: 'customer-42', audience: 'billing', scopes: ['payments:write'] }));
      assert.equal(response.status, 401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /^Bearer error="invalid_token", error_description="token not yet valid: nbf is 3[12] s after/);
      const problem = await problemFrom(response);
      assert.equal(problem.type, INVALID_TOKEN_PROBLEM);
      assert.equal(problem.claim, 'nbf');
      assert.equal(problem.reason, 'not-yet-valid');
      assert.match(problem.detail, /check clock skew between the issuer and this service/);
    } finally {
      issuerClock.setSkew(0);
    }
  });

  it('answers a token for another service with 401 naming aud', async () => {
    const response = await post(await issuer.issue({ subject: 'customer-42', audience: 'notifications', scopes: ['payments:write'] }));
    assert.equal(response.status, 401);
    assert.equal((await problemFrom(response)).claim, 'aud');
  });

  it('answers a valid token without the required scope with 403 insufficient_scope', async () => {
    const response = await post(await issuer.issue({ subject: 'customer-42', audience: 'billing', scopes: ['orders:read'] }));
    assert.equal(response.status, 403);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="payments:write"/);
    assert.deepEqual((await problemFrom(response)).missingScopes, ['payments:write']);
  });
});
