import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../config/index.js';
import { defineTokenPolicy } from './token-policy.js';

const settings = { issuer: 'faultline-orders', audiences: ['billing'] };

describe('defineTokenPolicy', () => {
  it('defaults to 10 min tokens, a 30 s clock tolerance and a maxTokenAge equal to the lifetime', () => {
    const policy = defineTokenPolicy('billing', settings, {});
    assert.deepEqual(
      { ...policy },
      {
        mode: 'correct',
        issuer: 'faultline-orders',
        audiences: ['billing'],
        lifetimeSeconds: 600,
        clockToleranceSeconds: 30,
        maxTokenAgeSeconds: 600,
        algorithm: 'ES256',
      },
    );
  });

  it('refuses the naive preset outside workshop mode, naming FAULTLINE_WORKSHOP_MODE', () => {
    assert.throws(
      () => defineTokenPolicy('billing', { ...settings, mode: 'naive' }, {}),
      (error: unknown) => error instanceof ConfigurationError && /FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
  });

  it('gives the naive preset zero tolerance and 24 h tokens in workshop mode', () => {
    const policy = defineTokenPolicy('billing', { ...settings, mode: 'naive' }, { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(policy.clockToleranceSeconds, 0);
    assert.equal(policy.lifetimeSeconds, 24 * 60 * 60);
  });

  it('refuses a lifetime outside 5–15 min, and a maxTokenAge longer than the lifetime', () => {
    assert.throws(() => defineTokenPolicy('billing', { ...settings, lifetimeSeconds: 3_600 }, {}), /outside 300–900 s/);
    assert.throws(() => defineTokenPolicy('billing', { ...settings, maxTokenAgeSeconds: 900 }, {}), /maxTokenAge 900 s exceeds/);
  });

  it('names every malformed setting at once', () => {
    assert.throws(
      () => defineTokenPolicy('billing', { issuer: '', audiences: [], clockToleranceSeconds: -1 }, {}),
      (error: unknown) => error instanceof ConfigurationError && error.problems.length === 3,
    );
  });
});
