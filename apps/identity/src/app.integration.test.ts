import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_ALGORITHM, USER_TOKEN_AUDIENCE } from '@faultline/shared/auth';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { expectProblem, itBehavesLikeAFaultlineService, type ServiceProcess } from '@faultline/shared/testing';
import { LOGIN_REFUSED } from './login/login.controller.js';
import {
  DEMO_ACCOUNTS,
  IdentityRequestError,
  LoginRefusedError,
  discover,
  serviceToken,
  signUp,
  startIdentity,
  userToken,
} from './testing/index.js';

const env = readFaultlineEnvironment();
const ordersClient = { clientId: 'orders', clientSecret: String(env.IDENTITY_ORDERS_CLIENT_SECRET) };

describe('identity provider', () => {
  let service: ServiceProcess;
  let verify: (token: string, audience: string) => Promise<JWTPayload>;

  before(async () => {
    service = await startIdentity();
    const { jwks_uri: jwksUri } = await discover(service.url);
    const keys = createRemoteJWKSet(new URL(jwksUri));
    // What a Faultline verifier checks (libs/shared/src/auth/token-verifier.ts): one algorithm, the issuer, the audience.
    verify = async (token, audience) =>
      (await jwtVerify(token, keys, { algorithms: [TOKEN_ALGORITHM], issuer: service.url, audience, requiredClaims: ['iat', 'exp', 'sub'] })).payload;
  });
  after(() => service?.stop());

  itBehavesLikeAFaultlineService({
    baseUrl: () => service.url,
    documentedPaths: ['/accounts'],
    jsonEndpoint: { method: 'POST', path: '/accounts', invalidBody: { email: 'not-an-address', password: 'short' }, invalidFields: ['email', 'password'] },
  });

  it('publishes its discovery document at the issuer, pointing to a JWKS of public ES256 keys', async () => {
    const discovery = await discover(service.url);
    assert.equal(discovery.issuer, service.url);
    assert.equal(discovery.token_endpoint, `${service.url}/oidc/token`);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
    assert.ok(jwks.keys.length >= 1);
    for (const key of jwks.keys) {
      assert.equal(key.alg, TOKEN_ALGORITHM);
      assert.equal(typeof key.kid, 'string');
      assert.equal(key.d, undefined, 'the JWKS must never carry the private part of a key');
    }
  });

  it('offers only the authorization code flow with S256 PKCE and the client_credentials grant', async () => {
    const discovery = (await discover(service.url)) as unknown as Record<string, string[]>;
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual([...discovery.grant_types_supported].sort(), ['authorization_code', 'client_credentials']);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  });

  it('signs up a customer, whose code-flow login yields a 10 min access token for faultline-api with the customer as sub', async () => {
    const customer = await signUp(service.url);
    const token = await userToken(service.url, customer);

    const claims = await verify(token, USER_TOKEN_AUDIENCE);
    assert.equal(claims.sub, customer.customerId);
    assert.equal(claims.iss, service.url);
    assert.equal(claims.aud, USER_TOKEN_AUDIENCE);
    assert.equal(claims.scope, 'faultline:customer');
    assert.equal(Number(claims.exp) - Number(claims.iat), DEFAULT_TOKEN_LIFETIME_SECONDS);
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, TOKEN_ALGORITHM);
    assert.equal(typeof header.kid, 'string');
  });

  it('signs in the seeded demo customers with their documented passwords', async () => {
    const [alice] = DEMO_ACCOUNTS;
    const claims = await verify(await userToken(service.url, alice), USER_TOKEN_AUDIENCE);
    assert.equal(claims.sub, alice.customerId);
  });

  it('signs in whatever the letter case of the e-mail address', async () => {
    const customer = await signUp(service.url, { email: `Mixed.Case-${randomUUID()}@Example.com` });
    const claims = await verify(await userToken(service.url, { ...customer, email: customer.email.toLowerCase() }), USER_TOKEN_AUDIENCE);
    assert.equal(claims.sub, customer.customerId);
  });

  it('shows the login form again with an error, and issues no code or token, for a wrong password', async () => {
    const customer = await signUp(service.url);
    await assert.rejects(
      userToken(service.url, { email: customer.email, password: `${customer.password}-wrong` }),
      (error: unknown) => error instanceof LoginRefusedError && error.formError === LOGIN_REFUSED,
    );
  });

  it('answers an unknown e-mail address exactly as a wrong password', async () => {
    await assert.rejects(
      userToken(service.url, { email: `nobody-${randomUUID()}@example.com`, password: 'whatever-password' }),
      (error: unknown) => error instanceof LoginRefusedError && error.formError === LOGIN_REFUSED,
    );
  });

  it('refuses an authorization request without a PKCE code challenge', async () => {
    const query = new URLSearchParams({
      client_id: 'faultline-cli',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'openid faultline:customer',
      resource: 'urn:faultline:faultline-api',
    });
    const response = await fetch(`${service.url}/oidc/auth?${query}`, { redirect: 'manual' });
    const location = new URL(String(response.headers.get('location')));
    assert.equal(location.origin + location.pathname, 'http://127.0.0.1/callback');
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('code'), null);
  });

  it('issues the orders service a token for billing, with sub orders, against its client secret', async () => {
    const claims = await verify(await serviceToken(service.url, { ...ordersClient, resource: 'billing' }), 'billing');
    assert.equal(claims.sub, 'orders');
    assert.equal(claims.aud, 'billing');
    assert.equal(claims.scope, 'billing:payments');
    assert.equal(Number(claims.exp) - Number(claims.iat), DEFAULT_TOKEN_LIFETIME_SECONDS);

    const forNotifications = await verify(await serviceToken(service.url, { ...ordersClient, resource: 'notifications' }), 'notifications');
    assert.equal(forNotifications.sub, 'orders');
  });

  it('answers 401 invalid_client to a wrong client secret', async () => {
    await assert.rejects(
      serviceToken(service.url, { ...ordersClient, clientSecret: `${ordersClient.clientSecret}-wrong`, resource: 'billing' }),
      (error: unknown) => error instanceof IdentityRequestError && error.status === 401 && error.error === 'invalid_client',
    );
  });

  it('refuses a service token for a resource the client is not allowed', async () => {
    await assert.rejects(
      serviceToken(service.url, { ...ordersClient, resource: 'faultline-api' }),
      (error: unknown) => error instanceof IdentityRequestError && error.status === 400 && error.error === 'invalid_target',
    );
  });

  it('refuses a service token request that names no resource when the client has several', async () => {
    const response = await fetch(`${service.url}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${ordersClient.clientId}:${ordersClient.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_target');
  });

  it('answers a sign-up with a taken e-mail address, in any letter case, with 409', async () => {
    const customer = await signUp(service.url);
    const response = await fetch(`${service.url}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: customer.email.toUpperCase(), password: 'another-password' }),
    });
    const problem = await expectProblem(response, 409);
    assert.match(problem.detail, /already exists/);
  });
});
