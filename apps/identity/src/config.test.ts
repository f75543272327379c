import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '@faultline/shared/config';
import { loadIdentitySettings } from './config.js';

const valid = {
  IDENTITY_HTTP_PORT: '3105',
  PG_PRIMARY_PORT: '15432',
  IDENTITY_DB_NAME: 'identity',
  IDENTITY_DB_USER: 'identity',
  IDENTITY_DB_PASSWORD: 'identity-local',
  KAFKA_PORT: '19092',
  IDENTITY_ORDERS_CLIENT_SECRET: 'orders-client-secret-local',
  IDENTITY_OPERATOR_CLIENT_SECRET: 'operator-client-secret-local',
  IDENTITY_COOKIE_SECRET: 'identity-cookie-secret-local-0123456789',
};

describe('identity provider configuration', () => {
  it('issues tokens as http://127.0.0.1:<IDENTITY_HTTP_PORT> unless IDENTITY_ISSUER names another issuer', () => {
    assert.equal(loadIdentitySettings(valid).identity.issuer, 'http://127.0.0.1:3105');
    assert.equal(loadIdentitySettings({ ...valid, IDENTITY_ISSUER: 'https://id.example.com/' }).identity.issuer, 'https://id.example.com');
  });

  it("issues 10 min access tokens, and 24 h ones only in the workshop's naive mode (article 2)", () => {
    assert.equal(loadIdentitySettings(valid).identity.accessTokenLifetimeSeconds, 600);
    const naive = { ...valid, FAULTLINE_TOKEN_VALIDATION: 'naive' };
    assert.equal(loadIdentitySettings({ ...naive, FAULTLINE_WORKSHOP_MODE: 'true' }).identity.accessTokenLifetimeSeconds, 24 * 60 * 60);
    assert.throws(
      () => loadIdentitySettings(naive),
      (error: unknown) => error instanceof ConfigurationError && /FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
  });

  it('reaches its own database on the primary and seeds the demo accounts by default', () => {
    const settings = loadIdentitySettings(valid);
    assert.deepEqual(settings.database, { host: '127.0.0.1', port: 15432, database: 'identity', username: 'identity', password: 'identity-local' });
    assert.equal(settings.identity.demoAccounts, true);
    assert.equal(loadIdentitySettings({ ...valid, IDENTITY_DEMO_ACCOUNTS: 'false' }).identity.demoAccounts, false);
  });

  it('names every missing or weak secret at once', () => {
    const env: Record<string, string | undefined> = { ...valid, IDENTITY_COOKIE_SECRET: 'short' };
    delete env.IDENTITY_ORDERS_CLIENT_SECRET;
    assert.throws(
      () => loadIdentitySettings(env),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.includes('IDENTITY_ORDERS_CLIENT_SECRET is required') &&
        error.message.includes('IDENTITY_COOKIE_SECRET="short" is invalid'),
    );
  });
});
