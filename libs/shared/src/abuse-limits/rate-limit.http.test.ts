import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createLocalJWKSet } from 'jose';
import { Access } from '../access-control/access.decorator.js';
import {
  BearerTokenGuard,
  TOKEN_GUARD_DEFAULTS,
  TokenIssuer,
  TokenVerifier,
  USER_TOKEN_AUDIENCE,
  defineTokenPolicy,
  type TokenGuardDefaults,
} from '../auth/index.js';
import { SystemClock } from '../clock/index.js';
import type { RunningService } from '../service-defaults/index.js';
import { DEFAULT_ABUSE_LIMITS, RATE_LIMITED_PROBLEM, type AbuseLimits } from './abuse-limits.js';
import { RateLimit } from './rate-limit.decorator.js';
import { RATE_LIMIT_GUARD, RateLimitModule } from './rate-limit.module.js';
import { send, startServiceUnderLimits, type RawAnswer } from './testing/service-under-limits.js';

@Controller()
class RoutesController {
  @Post('orders')
  @HttpCode(201)
  place(): { placed: true } {
    return { placed: true };
  }

  @Put('profile')
  @HttpCode(200)
  edit(): { edited: true } {
    return { edited: true };
  }

  @Get('orders')
  list(): { items: [] } {
    return { items: [] };
  }

  @Get('health')
  @Access.public('probed by the orchestrator')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Put('switches')
  @Access.public('a workshop switch, open to anyone')
  @HttpCode(200)
  flip(): { flipped: true } {
    return { flipped: true };
  }

  @Post('auth/tokens')
  @Access.public('where a client without a token gets one')
  @RateLimit('credentials')
  @HttpCode(201)
  issue(): { issued: true } {
    return { issued: true };
  }
}

/** Small numbers, so a test reaches each limit in a few requests. */
const limits: AbuseLimits = {
  ...DEFAULT_ABUSE_LIMITS,
  requestsPerMinute: { writes: 3, reads: 5, credentials: 2, 'peer-services': 6 },
};

const policy = defineTokenPolicy('billing', { issuer: 'http://127.0.0.1:3105', audiences: [USER_TOKEN_AUDIENCE, 'billing'] }, {});

function assertRateLimited(answer: RawAnswer, limitText: RegExp): Record<string, unknown> {
  assert.equal(answer.status, 429, answer.body);
  assert.equal(answer.headers['content-type']?.split(';')[0], 'application/problem+json');
  const retryAfter = Number(answer.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${String(answer.headers['retry-after'])}`);
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  assert.equal(problem.type, RATE_LIMITED_PROBLEM);
  assert.equal(problem.status, 429);
  assert.match(String(problem.detail), limitText);
  assert.match(String(problem.detail), new RegExp(`Retry in ${retryAfter} s`));
  return problem;
}

// The guards in ServiceDefaultsModule's order: the token guard, then the rate limit guard, so a
// write is counted against the verified token's subject.
describe('rate limits per caller over HTTP (ADR 0016)', () => {
  let issuer: TokenIssuer;
  const services: RunningService[] = [];

  const serve = async (serviceLimits: AbuseLimits): Promise<string> => {
    const verifier = new TokenVerifier(policy, (header, token) => createLocalJWKSet(issuer.jwks())(header, token), new SystemClock());
    const defaults: TokenGuardDefaults = { enforcement: 'enforce', requirement: { audience: policy.audiences, scopes: [] } };
    const service = await startServiceUnderLimits(serviceLimits, {
      imports: [RateLimitModule.forRoot(serviceLimits)],
      controllers: [RoutesController],
      providers: [
        { provide: TokenVerifier, useValue: verifier },
        { provide: TOKEN_GUARD_DEFAULTS, useValue: defaults },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        RATE_LIMIT_GUARD,
      ],
    });
    services.push(service);
    return service.url;
  };
  const customer = async () => ({ authorization: `Bearer ${await issuer.issue({ subject: randomUUID(), audience: USER_TOKEN_AUDIENCE })}` });

  before(async () => {
    issuer = await TokenIssuer.create(policy, new SystemClock());
  });
  after(async () => {
    for (const service of services) await service.app.close();
  });

  it('answers a customer over the write limit with 429 problem+json and Retry-After, on every write route, while another customer is still served', async () => {
    const url = await serve(limits);
    const [ada, grace] = [await customer(), await customer()];
    for (let write = 1; write <= 3; write++) assert.equal((await send(`${url}/orders`, { method: 'POST', headers: ada })).status, 201, `write ${write}`);
    const refused = await send(`${url}/orders`, { method: 'POST', headers: ada });
    const problem = assertRateLimited(refused, /at most 3 writes \(POST, PUT, PATCH, DELETE\) a minute per caller/);
    assert.equal(problem.policy, 'writes');
    // The budget is the caller's across the service, not one per route.
    assertRateLimited(await send(`${url}/profile`, { method: 'PUT', headers: ada }), /3 writes/);
    assert.equal((await send(`${url}/orders`, { method: 'POST', headers: grace })).status, 201);
    // Reads have a budget of their own: a customer who may not write may still read.
    assert.equal((await send(`${url}/orders`, { headers: ada })).status, 200);
  });

  it('counts callers without a token by their address, and does not believe X-Forwarded-For unless told to', async () => {
    const url = await serve(limits);
    for (let write = 1; write <= 3; write++) {
      const answer = await send(`${url}/switches`, { method: 'PUT', headers: { 'x-forwarded-for': `203.0.113.${write}` } });
      assert.equal(answer.status, 200, `write ${write}`);
    }
    assertRateLimited(await send(`${url}/switches`, { method: 'PUT', headers: { 'x-forwarded-for': '203.0.113.99' } }), /3 writes/);
    assert.equal((await send(`${url}/switches`, { method: 'PUT', from: '127.0.0.2' })).status, 200, 'another address is still served');
  });

  it('counts by X-Forwarded-For when the proxy in front is trusted', async () => {
    const url = await serve({ ...limits, trustedProxies: ['loopback'] });
    const from = (client: string) => ({ method: 'PUT', headers: { 'x-forwarded-for': client } });
    for (let write = 1; write <= 3; write++) assert.equal((await send(`${url}/switches`, from('203.0.113.7'))).status, 200);
    assertRateLimited(await send(`${url}/switches`, from('203.0.113.7')), /3 writes/);
    assert.equal((await send(`${url}/switches`, from('203.0.113.8'))).status, 200);
  });

  it('limits token requests per address more strictly than writes, whatever token the request carries', async () => {
    const url = await serve(limits);
    const ada = await customer();
    for (let request = 1; request <= 2; request++) assert.equal((await send(`${url}/auth/tokens`, { method: 'POST' })).status, 201);
    const problem = assertRateLimited(await send(`${url}/auth/tokens`, { method: 'POST', headers: ada }), /at most 2 token requests a minute per client address/);
    assert.equal(problem.policy, 'credentials');
    assert.equal((await send(`${url}/auth/tokens`, { method: 'POST', from: '127.0.0.2' })).status, 201);
  });

  it('never limits public reads such as /health, and limits other reads per caller', async () => {
    const url = await serve(limits);
    for (let probe = 1; probe <= 20; probe++) assert.equal((await send(`${url}/health`)).status, 200, `probe ${probe}`);
    const ada = await customer();
    for (let read = 1; read <= 5; read++) assert.equal((await send(`${url}/orders`, { headers: ada })).status, 200);
    assertRateLimited(await send(`${url}/orders`, { headers: ada }), /at most 5 reads a minute per caller/);
  });

  it("counts a peer service's token under the peer ceiling, not a customer's", async () => {
    const url = await serve(limits);
    const orders = { authorization: `Bearer ${await issuer.issue({ subject: 'orders', audience: 'billing' })}` };
    for (let call = 1; call <= 6; call++) assert.equal((await send(`${url}/orders`, { method: 'POST', headers: orders })).status, 201, `call ${call}`);
    const problem = assertRateLimited(await send(`${url}/orders`, { method: 'POST', headers: orders }), /at most 6 requests a minute per calling service/);
    assert.equal(problem.policy, 'peer-services');
  });

  it('answers a request without a valid token 401, not 429, and counts none of them: the token guard runs first', async () => {
    const url = await serve(limits);
    for (let attempt = 1; attempt <= 5; attempt++) assert.equal((await send(`${url}/orders`, { method: 'POST' })).status, 401);
    // The address's write budget is untouched by the refused requests: three writes, then the limit.
    for (let write = 1; write <= 3; write++) assert.equal((await send(`${url}/switches`, { method: 'PUT' })).status, 200, `write ${write}`);
    assertRateLimited(await send(`${url}/switches`, { method: 'PUT' }), /3 writes/);
  });
});
