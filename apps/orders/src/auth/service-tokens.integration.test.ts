import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ManualClock } from '@faultline/shared/clock';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ServiceProcess, requireReachable } from '@faultline/shared/testing';
import { ServiceTokens } from './service-tokens.js';

const env = readFaultlineEnvironment();

// Orders' side of the client credentials grant, against the identity provider itself (apps/identity,
// started as an operator starts it on a free port with its real database).
describe('ServiceTokens at the identity provider', () => {
  let identity: ServiceProcess;

  before(async () => {
    await requireReachable('PostgreSQL primary (the identity database)', Number(env.PG_PRIMARY_PORT));
    identity = await ServiceProcess.start({
      app: 'identity',
      port: 'free',
      env: (port) => ({ IDENTITY_HTTP_PORT: String(port), IDENTITY_ISSUER: `http://127.0.0.1:${port}` }),
      logName: 'orders-test-identity',
    });
  });
  after(() => identity?.stop());

  const options = () => ({ issuer: identity.url, clientId: 'orders', clientSecret: String(env.IDENTITY_ORDERS_CLIENT_SECRET) });

  it('gets a token of orders for the called service, and reuses it until a minute before it expires', async () => {
    const clock = new ManualClock(new Date());
    const tokens = new ServiceTokens(options(), clock);

    const first = await tokens.tokenFor('billing');
    const claims = decodeJwt(first);
    assert.deepEqual([claims.sub, claims.aud, claims.iss], ['orders', 'billing', identity.url]);
    assert.equal(Number(claims.exp) - Number(claims.iat), 600);

    clock.advance(8 * 60_000);
    assert.equal(await tokens.tokenFor('billing'), first, 'still 2 min to live: reused');
    const forNotifications = await tokens.tokenFor('notifications');
    assert.equal(decodeJwt(forNotifications).aud, 'notifications', 'another audience gets its own token');

    clock.advance(61_000);
    const renewed = await tokens.tokenFor('billing');
    assert.notEqual(renewed, first, 'less than a minute to live: renewed');
    assert.equal(decodeJwt(renewed).aud, 'billing');
  });

  it('shares one request among concurrent callers', async () => {
    const tokens = new ServiceTokens(options(), new ManualClock(new Date()));
    const [a, b, c] = await Promise.all([tokens.tokenFor('billing'), tokens.tokenFor('billing'), tokens.tokenFor('billing')]);
    assert.ok(a === b && b === c);
  });

  it('fails with the OAuth error for a wrong secret', async () => {
    const tokens = new ServiceTokens({ ...options(), clientSecret: 'not-the-secret-of-orders-at-all' }, new ManualClock(new Date()));
    // The provider answers 401 with a `WWW-Authenticate` challenge naming the OAuth error.
    const invalidClient = (error: unknown) => {
      const { status, cause } = error as { status?: number; cause?: Array<{ parameters?: { error?: string } }> };
      return status === 401 && Array.isArray(cause) && cause.some((challenge) => challenge.parameters?.error === 'invalid_client');
    };
    await assert.rejects(tokens.tokenFor('billing'), invalidClient);
  });

  it('hands out no token with FAULTLINE_AUTH=off (no options)', async () => {
    assert.equal(await new ServiceTokens(undefined, new ManualClock(new Date())).tokenFor('billing'), '');
  });
});
