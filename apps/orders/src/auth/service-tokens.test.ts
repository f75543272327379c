import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { FAULTLINE_TOKEN_ISSUER, TokenIssuer, USER_TOKEN_AUDIENCE, defineTokenPolicy } from '@faultline/shared/auth';
import { ManualClock } from '@faultline/shared/clock';
import { ServiceTokens } from './service-tokens.js';

describe('ServiceTokens', () => {
  const policy = defineTokenPolicy('orders', { issuer: FAULTLINE_TOKEN_ISSUER, audiences: [USER_TOKEN_AUDIENCE, 'orders'] }, {});

  it('mints a token of orders for the called service, and reuses it until a minute before it expires', async () => {
    const clock = new ManualClock(new Date('2026-11-28T21:00:00Z'));
    const tokens = new ServiceTokens(await TokenIssuer.create(policy, clock), clock);

    const first = await tokens.tokenFor('billing');
    const claims = decodeJwt(first);
    assert.deepEqual([claims.sub, claims.aud, claims.iss], ['orders', 'billing', FAULTLINE_TOKEN_ISSUER]);
    assert.equal(Number(claims.exp) - Number(claims.iat), 600);

    clock.advance(8 * 60_000);
    assert.equal(await tokens.tokenFor('billing'), first, 'still 2 min to live: reused');
    assert.notEqual(await tokens.tokenFor('notifications'), first, 'another audience gets its own token');

    clock.advance(61_000);
    const renewed = await tokens.tokenFor('billing');
    assert.notEqual(renewed, first, 'less than a minute to live: renewed');
    assert.equal(decodeJwt(renewed).iat, Number(claims.iat) + 9 * 60 + 1);
  });
});
