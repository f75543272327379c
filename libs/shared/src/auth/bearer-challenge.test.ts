import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge } from './bearer-challenge.js';

describe('bearerChallenge', () => {
  it('is a bare "Bearer" when the request carried no token (RFC 6750 §3.1)', () => {
    assert.equal(bearerChallenge(), 'Bearer');
  });

  it('folds a human message into the characters error_description allows, instead of breaking the header', () => {
    const challenge = bearerChallenge({ error: 'invalid_token', description: 'token audience "x" is not this service — ask «billing»\\' });
    assert.equal(challenge, `Bearer error="invalid_token", error_description="token audience 'x' is not this service - ask ?billing??"`);
  });
});
