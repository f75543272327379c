import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Get, Injectable, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { createLocalJWKSet } from 'jose';
import { BearerTokenGuard } from '../auth/bearer-token.guard.js';
import { USER_TOKEN_AUDIENCE } from '../auth/service-auth.js';
import { TokenIssuer } from '../auth/token-issuer.js';
import { defineTokenPolicy } from '../auth/token-policy.js';
import { TOKEN_GUARD_DEFAULTS, type TokenGuardDefaults } from '../auth/token-requirement.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { SystemClock } from '../clock/index.js';
import { ProblemDetailsException, ProblemDetailsModule } from '../problem-details/index.js';
import { Access } from './access.decorator.js';
import { AccessRuleGuard } from './access-rule.guard.js';
import { OPERATOR_SCOPE, type ResourceOwners } from './access-rule.js';

const ALICE = 'a1a1a1a1-0000-4000-8000-000000000001';
const BOB = 'b0b0b0b0-0000-4000-8000-000000000002';
const ALICES_ORDER = 'c0c0c0c0-0000-4000-8000-000000000003';

/** A lookup over a fixed table: this test is about the guard, not about where owners live. */
@Injectable()
class OrderOwners implements ResourceOwners {
  static readonly resource = 'order';
  isWellFormed(id: string): boolean {
    return /^[0-9a-f-]{36}$/.test(id);
  }
  async ownerOf(id: string): Promise<string | undefined> {
    return id === ALICES_ORDER ? ALICE : undefined;
  }
  notFound(id: string): Error {
    return ProblemDetailsException.notFound(`There is no order with id ${id}.`);
  }
}

@Controller()
class RoutesController {
  @Get('customers/:customerId/orders')
  @Access.customerIn('path', 'customerId')
  list(@Param('customerId') customerId: string): { customerId: string } {
    return { customerId };
  }

  @Post('orders')
  @Access.customerIn('body', 'customerId')
  place(@Body() body: { customerId: string }): { placedFor: string } {
    return { placedFor: body.customerId };
  }

  @Get('orders/:id')
  @Access.ownerOf(OrderOwners, 'id')
  order(@Param('id') id: string): { orderId: string } {
    return { orderId: id };
  }

  @Get('reports/revenue')
  @Access.operator()
  revenue(): { revenue: 0 } {
    return { revenue: 0 };
  }

  @Get('payments')
  @Access.services('orders')
  payments(): { payments: [] } {
    return { payments: [] };
  }

  @Get('forgotten')
  forgotten(): { forgotten: true } {
    return { forgotten: true };
  }

  @Get('open')
  @Access.public('open to anyone in this test')
  open(): { open: true } {
    return { open: true };
  }
}

// The two global guards as ServiceDefaultsModule registers them: the token first, then the route's rule.
describe('AccessRuleGuard after the global token guard', () => {
  const policy = defineTokenPolicy('billing', { issuer: 'http://127.0.0.1:3105', audiences: [USER_TOKEN_AUDIENCE, 'billing'] }, {});
  let issuer: TokenIssuer;
  let app: INestApplication;
  let base: string;
  const as = async (subject: string, init: RequestInit & { path: string; audience?: string; scopes?: string[] }) => {
    const token = await issuer.issue({ subject, audience: init.audience ?? USER_TOKEN_AUDIENCE, scopes: init.scopes ?? [] });
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${base}${init.path}`, { ...init, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    issuer = await TokenIssuer.create(policy, new SystemClock());
    const verifier = new TokenVerifier(policy, (header, token) => createLocalJWKSet(issuer.jwks())(header, token), new SystemClock());
    const defaults: TokenGuardDefaults = { enforcement: 'enforce', requirement: { audience: policy.audiences, scopes: [] } };
    @Module({
      imports: [ProblemDetailsModule],
      controllers: [RoutesController],
      providers: [
        OrderOwners,
        { provide: TokenVerifier, useValue: verifier },
        { provide: TOKEN_GUARD_DEFAULTS, useValue: defaults },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_GUARD, useClass: AccessRuleGuard },
      ],
    })
    class ServiceModule {}
    app = await NestFactory.create(ServiceModule, { logger: false, abortOnError: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  after(() => app?.close());

  it("serves a customer's own path and refuses another customer's with 403", async () => {
    assert.deepEqual(await as(ALICE, { path: `/customers/${ALICE}/orders` }), { status: 200, body: { customerId: ALICE } });
    const refused = await as(BOB, { path: `/customers/${ALICE}/orders` });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.type, 'urn:faultline:problem:access-denied');
  });

  it("refuses a body that names another customer with 403, and lets a body without one reach validation", async () => {
    assert.equal((await as(ALICE, { path: '/orders', method: 'POST', body: JSON.stringify({ customerId: ALICE }) })).status, 201);
    assert.equal((await as(BOB, { path: '/orders', method: 'POST', body: JSON.stringify({ customerId: ALICE }) })).status, 403);
    assert.equal((await as(BOB, { path: '/orders', method: 'POST', body: JSON.stringify({}) })).status, 201);
  });

  it("answers another customer's resource with the same 404 as a resource that does not exist", async () => {
    assert.equal((await as(ALICE, { path: `/orders/${ALICES_ORDER}` })).status, 200);
    const foreign = await as(BOB, { path: `/orders/${ALICES_ORDER}` });
    const missing = await as(BOB, { path: `/orders/${BOB}` });
    assert.deepEqual([foreign.status, missing.status], [404, 404]);
    assert.equal(foreign.body.title, missing.body.title);
    assert.equal(foreign.body.type, missing.body.type);
  });

  it('never looks up a malformed id: the route (its validation, in a real service) answers it', async () => {
    assert.deepEqual(await as(BOB, { path: '/orders/not-an-order-id' }), { status: 200, body: { orderId: 'not-an-order-id' } });
  });

  it('lets only an operator token read company-wide data', async () => {
    assert.equal((await as(ALICE, { path: '/reports/revenue' })).status, 403);
    assert.equal((await as('operator-1', { path: '/reports/revenue', scopes: [OPERATOR_SCOPE] })).status, 200);
  });

  it('lets only the named service call a service route, whatever the audience allows', async () => {
    assert.equal((await as('orders', { path: '/payments', audience: 'billing' })).status, 200);
    assert.equal((await as('notifications', { path: '/payments', audience: 'billing' })).status, 403);
    assert.equal((await as(ALICE, { path: '/payments' })).status, 403);
  });

  it('refuses every token on a route that declares no rule, and serves a public one without any', async () => {
    const refused = await as(ALICE, { path: '/forgotten' });
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.detail), /declares no access rule/);
    assert.equal((await fetch(`${base}/open`)).status, 200);
  });
});
