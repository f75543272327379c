import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigurationError } from '../config/index.js';
import { USER_TOKEN_AUDIENCE, resolveServiceAuth, resourceIndicatorOf, serviceAuthEnvironment } from './service-auth.js';

const parse = (env: Record<string, string>) => z.object(serviceAuthEnvironment).parse({ IDENTITY_HTTP_PORT: '3105', ...env });

describe('resolveServiceAuth', () => {
  it('enforces tokens by default and verifies user tokens and tokens for the service itself, issued by the identity provider', () => {
    const auth = resolveServiceAuth('billing', parse({}), {});
    assert.equal(auth.enforcement, 'enforce');
    assert.equal(auth.policy.issuer, 'http://127.0.0.1:3105');
    assert.deepEqual(auth.policy.audiences, [USER_TOKEN_AUDIENCE, 'billing']);
    assert.equal(auth.policy.clockToleranceSeconds, 30);
    assert.equal(String(auth.keys), 'http://127.0.0.1:3105/oidc/jwks');
  });

  it("follows the identity provider's IDENTITY_ISSUER, and FAULTLINE_TOKEN_ISSUER and FAULTLINE_JWKS_URL override it", () => {
    const moved = resolveServiceAuth('billing', parse({ IDENTITY_ISSUER: 'https://id.example.com/' }), {});
    assert.equal(moved.policy.issuer, 'https://id.example.com');
    assert.equal(String(moved.keys), 'https://id.example.com/oidc/jwks');
    const other = resolveServiceAuth('billing', parse({ FAULTLINE_TOKEN_ISSUER: 'http://127.0.0.1:9999', IDENTITY_ISSUER: 'https://id.example.com' }), {});
    assert.equal(other.policy.issuer, 'http://127.0.0.1:9999');
    assert.equal(String(other.keys), 'http://127.0.0.1:9999/oidc/jwks');
    const keys = resolveServiceAuth('billing', parse({ FAULTLINE_JWKS_URL: 'http://127.0.0.1:9998/keys' }), {});
    assert.equal(String(keys.keys), 'http://127.0.0.1:9998/keys');
  });

  it('refuses an issuer or JWKS address that is not http(s)', () => {
    assert.throws(() => parse({ FAULTLINE_TOKEN_ISSUER: 'file:///etc/passwd' }));
    assert.throws(() => parse({ FAULTLINE_JWKS_URL: 'ftp://127.0.0.1/jwks' }));
  });

  it('refuses FAULTLINE_TOKEN_VALIDATION=naive outside workshop mode and gives it zero tolerance inside (article 2)', () => {
    assert.throws(
      () => resolveServiceAuth('billing', parse({ FAULTLINE_TOKEN_VALIDATION: 'naive' }), {}),
      (error: unknown) => error instanceof ConfigurationError && /FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
    const naive = resolveServiceAuth('billing', parse({ FAULTLINE_TOKEN_VALIDATION: 'naive' }), { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(naive.policy.clockToleranceSeconds, 0);
    assert.equal(naive.policy.lifetimeSeconds, 24 * 60 * 60);
  });
});

describe('resourceIndicatorOf', () => {
  it('names an audience as the URN the identity provider issues its tokens under, and keeps an indicator as it is', () => {
    assert.equal(resourceIndicatorOf('billing'), 'urn:faultline:billing');
    assert.equal(resourceIndicatorOf('urn:faultline:billing'), 'urn:faultline:billing');
  });
});
