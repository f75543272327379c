import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { createLocalJWKSet } from 'jose';
import { SystemClock } from '../clock/index.js';
import { ProblemDetailsModule } from '../problem-details/index.js';
import { BearerTokenGuard } from './bearer-token.guard.js';
import { Access } from '../access-control/access.decorator.js';
import { RequiresToken } from './requires-token.decorator.js';
import { USER_TOKEN_AUDIENCE } from './service-auth.js';
import { TokenIssuer } from './token-issuer.js';
import { defineTokenPolicy } from './token-policy.js';
import { TOKEN_GUARD_DEFAULTS, type TokenGuardDefaults } from './token-requirement.js';
import { TokenVerifier } from './token-verifier.js';

@Controller()
class RoutesController {
  @Get('open')
  @Access.public('open to anyone in this test')
  open(): { open: true } {
    return { open: true };
  }

  @Get('customers')
  customers(): { customers: [] } {
    return { customers: [] };
  }

  @Get('payments')
  @RequiresToken('billing')
  payments(): { payments: [] } {
    return { payments: [] };
  }
}

// The guard as ServiceDefaultsModule registers it (article 2): global, with the service's default
// requirement, opened only by @Access.public, narrowed by @RequiresToken.
describe('BearerTokenGuard as the global guard of a service', () => {
  const policy = defineTokenPolicy('billing', { issuer: 'http://127.0.0.1:3105', audiences: [USER_TOKEN_AUDIENCE, 'billing'] }, {});
  let issuer: TokenIssuer;
  const apps: INestApplication[] = [];
  const serve = async (enforcement: TokenGuardDefaults['enforcement']): Promise<string> => {
    const verifier = new TokenVerifier(policy, (header, token) => createLocalJWKSet(issuer.jwks())(header, token), new SystemClock());
    const defaults: TokenGuardDefaults = { enforcement, requirement: { audience: policy.audiences, scopes: [] } };
    @Module({
      imports: [ProblemDetailsModule],
      controllers: [RoutesController],
      providers: [
        { provide: TokenVerifier, useValue: verifier },
        { provide: TOKEN_GUARD_DEFAULTS, useValue: defaults },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
      ],
    })
    class ServiceModule {}
    const app = await NestFactory.create(ServiceModule, { logger: false, abortOnError: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  };
  const get = (url: string, token?: string) => fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  let enforcing: string;
  let relaxed: string;

  before(async () => {
    issuer = await TokenIssuer.create(policy, new SystemClock());
    enforcing = await serve('enforce');
    relaxed = await serve('off');
  });
  after(async () => {
    for (const app of apps) await app.close();
  });

  it('lets an @Access.public route through without a token', async () => {
    assert.equal((await get(`${enforcing}/open`)).status, 200);
  });

  it('guards a route without any decorator: 401 without a token, 200 with a user token', async () => {
    const refused = await get(`${enforcing}/customers`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
    const user = await issuer.issue({ subject: 'customer-1', audience: USER_TOKEN_AUDIENCE });
    assert.equal((await get(`${enforcing}/customers`, user)).status, 200);
  });

  it("narrows a @RequiresToken('billing') route to service tokens, naming the audience it wants", async () => {
    const user = await issuer.issue({ subject: 'customer-1', audience: USER_TOKEN_AUDIENCE });
    const refused = await get(`${enforcing}/payments`, user);
    assert.equal(refused.status, 401);
    const problem = (await refused.json()) as { claim?: string; detail?: string };
    assert.equal(problem.claim, 'aud');
    assert.match(String(problem.detail), /request a token for one of: billing$/);
    const service = await issuer.issue({ subject: 'orders', audience: 'billing' });
    assert.equal((await get(`${enforcing}/payments`, service)).status, 200);
  });

  it('checks nothing while enforcement is off, on default and @RequiresToken routes alike', async () => {
    assert.equal((await get(`${relaxed}/customers`)).status, 200);
    assert.equal((await get(`${relaxed}/payments`)).status, 200);
  });
});
