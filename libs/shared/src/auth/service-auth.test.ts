import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigurationError } from '../config/index.js';
import { FAULTLINE_TOKEN_ISSUER, USER_TOKEN_AUDIENCE, resolveServiceAuth, serviceAuthEnvironment } from './service-auth.js';

const parse = (env: Record<string, string>) => z.object(serviceAuthEnvironment).parse(env);
const issuerUrl = 'http://127.0.0.1:3101';

describe('resolveServiceAuth', () => {
  it('enforces tokens by default and verifies user tokens and tokens for the service itself', () => {
    const auth = resolveServiceAuth('billing', parse({}), { issuerUrl }, {});
    assert.equal(auth.enforcement, 'enforce');
    assert.equal(auth.policy.issuer, FAULTLINE_TOKEN_ISSUER);
    assert.deepEqual(auth.policy.audiences, [USER_TOKEN_AUDIENCE, 'billing']);
    assert.equal(auth.policy.clockToleranceSeconds, 30);
    assert.equal(auth.issues, false);
  });

  it("fetches the issuer's JWKS from its well-known path, the issuer itself verifies in-process, and FAULTLINE_JWKS_URL overrides both", () => {
    assert.equal(String(resolveServiceAuth('billing', parse({}), { issuerUrl }, {}).keys), 'http://127.0.0.1:3101/.well-known/jwks.json');
    assert.equal(resolveServiceAuth('orders', parse({}), { issuerUrl, issues: true }, {}).keys, 'in-process');
    const overridden = resolveServiceAuth('orders', parse({ FAULTLINE_JWKS_URL: 'http://127.0.0.1:9999/jwks' }), { issuerUrl, issues: true }, {});
    assert.equal(String(overridden.keys), 'http://127.0.0.1:9999/jwks');
  });

  it('refuses FAULTLINE_TOKEN_VALIDATION=naive outside workshop mode and gives it zero tolerance inside (article 2)', () => {
    assert.throws(
      () => resolveServiceAuth('billing', parse({ FAULTLINE_TOKEN_VALIDATION: 'naive' }), { issuerUrl }, {}),
      (error: unknown) => error instanceof ConfigurationError && /FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
    const naive = resolveServiceAuth('billing', parse({ FAULTLINE_TOKEN_VALIDATION: 'naive' }), { issuerUrl }, { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(naive.policy.clockToleranceSeconds, 0);
    assert.equal(naive.policy.lifetimeSeconds, 24 * 60 * 60);
  });
});
