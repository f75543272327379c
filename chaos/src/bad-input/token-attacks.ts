import fc from 'fast-check';
import { forgeTokens, type TestIssuer } from '@faultline/shared/testing';
import { FUZZ_CUSTOMER_ID, apiName, type HttpApi } from './http-apis.js';
import { problemAnswerViolation } from './problem-answer.js';
import type { BadInputSystem } from './test-issuer-tokens.js';

/** Far past the verifier's clock tolerance (at most 60 s) and its 10-minute token lifetime. */
const AN_HOUR_MS = 60 * 60_000;

/** One way to present a token that must not be accepted: a name for the report, and the Authorization header (or none). */
export interface TokenAttack {
  name: string;
  authorization?: string;
}

export interface TokenAttackResult {
  /** Attacks sent (routes × attacks). */
  requests: number;
  statuses: Map<number, number>;
  /** Each answer that was not a 401 problem: route, attack, what came back. */
  failures: string[];
}

/**
 * Every attack article 2 names, each built for the route's own requirement: no token, garbage in
 * the header, the four forgeries of `forgeTokens`, expired and not-yet-valid tokens, another
 * issuer's, and a token for another audience (another service's, and a user token on a
 * service-only route).
 */
export async function tokenAttacksFor(system: BadInputSystem, api: HttpApi): Promise<TokenAttack[]> {
  const { tokens } = system;
  const genuine = await genuineToken(system, api);
  const publishedKey = tokens.issuer.jwks().keys[0];
  if (!publishedKey) throw new Error('the test issuer publishes no key');
  const forged = await forgeTokens(genuine, publishedKey);
  const mint = (issuer: TestIssuer) =>
    api.credential === 'billing-service'
      ? issuer.serviceToken('orders', 'billing')
      : api.credential === 'operator'
        ? issuer.operatorToken('bad-input-operator')
        : issuer.userToken(FUZZ_CUSTOMER_ID);
  const otherAudiences: Record<string, string> = { orders: 'billing', billing: 'notifications', notifications: 'billing' };
  const bearer = (token: string) => `Bearer ${token}`;
  const attacks: TokenAttack[] = [
    { name: 'none' },
    { name: 'empty header', authorization: '' },
    { name: 'Bearer without a token', authorization: 'Bearer ' },
    { name: 'garbage token', authorization: 'Bearer not-a-jwt' },
    { name: 'three garbage parts', authorization: 'Bearer aaa.bbb.ccc' },
    { name: 'Basic scheme', authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { name: 'genuine token under another scheme', authorization: `Token ${genuine}` },
    { name: 'truncated signature', authorization: bearer(genuine.slice(0, -6)) },
    { name: 'tampered payload', authorization: bearer(forged.tampered) },
    { name: 'alg none', authorization: bearer(forged.algNone) },
    { name: 'HS256 signed with the public key', authorization: bearer(forged.hs256WithPublicKey) },
    { name: 'unknown key id', authorization: bearer(forged.unknownKid) },
    { name: 'expired', authorization: bearer(await tokens.issuedAt(-AN_HOUR_MS, mint)) },
    { name: 'not yet valid', authorization: bearer(await tokens.issuedAt(AN_HOUR_MS, mint)) },
    { name: 'wrong issuer', authorization: bearer(await tokens.issuer.tokenFromAnotherIssuer(FUZZ_CUSTOMER_ID)) },
    {
      name: `another service's audience (${otherAudiences[api.service] ?? 'billing'})`,
      authorization: bearer(await tokens.issuer.serviceToken('orders', otherAudiences[api.service] ?? 'billing')),
    },
  ];
  if (api.credential === 'billing-service') {
    attacks.push({ name: 'user token on a service-only route', authorization: bearer(await tokens.issuer.userToken(FUZZ_CUSTOMER_ID)) });
  }
  return attacks;
}

/**
 * Sends every attack to every protected route with an otherwise VALID request (so only the token can
 * be the reason to refuse it) and expects a 401 problem+json each time.
 */
export async function attackProtectedRoutes(system: BadInputSystem, apis: readonly HttpApi[], seed: number): Promise<TokenAttackResult> {
  const result: TokenAttackResult = { requests: 0, statuses: new Map(), failures: [] };
  for (const api of apis.filter((candidate) => candidate.credential !== 'public')) {
    const request = validRequest(api, seed);
    for (const attack of await tokenAttacksFor(system, api)) {
      const headers = new Headers(request.headers);
      if (attack.authorization !== undefined) headers.set('authorization', attack.authorization);
      const response = await fetch(system.url(api.service, request.path), { method: api.method, headers, body: request.body });
      const answer = { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
      result.requests += 1;
      result.statuses.set(answer.status, (result.statuses.get(answer.status) ?? 0) + 1);
      const violation = answer.status === 401 ? problemAnswerViolation(answer) : `answered ${answer.status}, not 401: ${answer.body.slice(0, 200)}`;
      if (violation !== undefined) result.failures.push(`${apiName(api)} with ${attack.name}: ${violation}`);
    }
  }
  return result;
}

/** One valid request for the API, from its own generators (the first sample for the seed). */
function validRequest(api: HttpApi, seed: number): { path: string; headers: Record<string, string>; body?: string } {
  const [params] = fc.sample(fc.record(api.params ?? {}), { numRuns: 1, seed });
  let path = api.route;
  for (const [name, value] of Object.entries(params ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(value));
  const [query] = api.query ? fc.sample(api.query, { numRuns: 1, seed }) : [];
  if (query) path += `?${new URLSearchParams(query).toString()}`;
  const headers: Record<string, string> = api.idempotencyKey ? { 'idempotency-key': crypto.randomUUID() } : {};
  const [body] = api.body ? fc.sample(api.body, { numRuns: 1, seed }) : [];
  if (body === undefined) return { path, headers };
  return { path, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

async function genuineToken(system: BadInputSystem, api: HttpApi): Promise<string> {
  if (api.credential === 'billing-service') return system.tokens.serviceToken('orders', 'billing');
  if (api.credential === 'operator') return system.tokens.operatorToken();
  return system.tokens.userToken(FUZZ_CUSTOMER_ID);
}
