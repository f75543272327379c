import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_ABUSE_LIMITS } from '@faultline/shared/abuse-limits';
import { ConfigurationError } from '@faultline/shared/config';
import { loadPaymentProviderSettings } from './config.js';

const valid = {
  PAYMENT_PROVIDER_HTTP_PORT: '3104',
  PG_PRIMARY_PORT: '15432',
  PAYMENT_PROVIDER_DB_NAME: 'payment_provider',
  PAYMENT_PROVIDER_DB_USER: 'payment_provider',
  PAYMENT_PROVIDER_DB_PASSWORD: 'payment-provider-local',
  KAFKA_PORT: '19092',
};

describe('payment provider configuration', () => {
  it('reaches its own database on the primary and Kafka directly, with no Toxiproxy in between', () => {
    const settings = loadPaymentProviderSettings(valid);
    assert.deepEqual(settings.http, { host: '127.0.0.1', port: 3104 });
    assert.deepEqual(settings.database, {
      host: '127.0.0.1',
      port: 15432,
      database: 'payment_provider',
      username: 'payment_provider',
      password: 'payment-provider-local',
    });
    assert.deepEqual(settings.kafka.brokers, ['127.0.0.1:19092']);
    assert.deepEqual(settings.service, { name: 'payment-provider', version: '0.1.0' });
  });

  it('names every missing or malformed variable at once', () => {
    const env: Record<string, string | undefined> = { ...valid, PG_PRIMARY_PORT: '0', LOG_LEVEL: 'loud' };
    delete env.PAYMENT_PROVIDER_DB_PASSWORD;
    assert.throws(
      () => loadPaymentProviderSettings(env),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.includes('PAYMENT_PROVIDER_DB_PASSWORD is required') &&
        error.message.includes('PG_PRIMARY_PORT="0" is invalid') &&
        error.message.includes('LOG_LEVEL="loud" is invalid'),
    );
  });

  it('stops the service at start-up with that message and exit code 1', () => {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      env: { ...process.env, PAYMENT_PROVIDER_HTTP_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /payment-provider: invalid configuration\n {2}- PAYMENT_PROVIDER_HTTP_PORT="eighty" is invalid/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('gives each calling address a provider\'s 100 requests a second, its merchants having no tokens to tell them apart (ADR 0016)', () => {
    const { abuseLimits } = loadPaymentProviderSettings(valid);
    assert.deepEqual(abuseLimits.requestsPerMinute, { ...DEFAULT_ABUSE_LIMITS.requestsPerMinute, writes: 6_000, reads: 6_000 });
    assert.equal(abuseLimits.jsonBodyBytes, DEFAULT_ABUSE_LIMITS.jsonBodyBytes);
    assert.equal(loadPaymentProviderSettings({ ...valid, FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: '100' }).abuseLimits.requestsPerMinute.writes, 100);
  });
});
