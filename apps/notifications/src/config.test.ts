import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_ABUSE_LIMITS } from '@faultline/shared/abuse-limits';
import { ConfigurationError } from '@faultline/shared/config';
import { loadNotificationsSettings } from './config.js';

const valid = {
  NOTIFICATIONS_HTTP_PORT: '3103',
  TOXIPROXY_NOTIFICATIONS_PG_PORT: '25434',
  NOTIFICATIONS_DB_NAME: 'notifications',
  NOTIFICATIONS_DB_USER: 'notifications',
  NOTIFICATIONS_DB_PASSWORD: 'notifications-local',
  TOXIPROXY_KAFKA_PORT: '19095',
  TOXIPROXY_SMTP_PORT: '25437',
  ORDERS_HTTP_PORT: '3101',
  BILLING_HTTP_PORT: '3102',
  IDENTITY_HTTP_PORT: '3105',
};

describe('notifications configuration', () => {
  it('reaches its database and Kafka through Toxiproxy on loopback', () => {
    const settings = loadNotificationsSettings(valid);
    assert.deepEqual(settings.http, { host: '127.0.0.1', port: 3103 });
    assert.deepEqual(settings.database, {
      host: '127.0.0.1',
      port: 25434,
      database: 'notifications',
      username: 'notifications',
      password: 'notifications-local',
    });
    assert.deepEqual(settings.kafka.brokers, ['127.0.0.1:19095']);
    assert.equal(settings.logLevel, 'info');
    assert.deepEqual(settings.service, { name: 'notifications', version: '0.1.0' });
  });

  it("sends its e-mail through Toxiproxy's smtp proxy, from the default sender unless NOTIFICATIONS_MAIL_FROM says otherwise", () => {
    const { delivery } = loadNotificationsSettings(valid);
    assert.deepEqual(delivery.smtp, { host: '127.0.0.1', port: 25437 });
    assert.equal(delivery.from, 'Faultline <notifications@faultline.example>');
    assert.equal(delivery.policy.timeoutMs, 5_000);
    assert.equal(delivery.policy.breaker.halfOpenAfterMs, 15_000);
    const workshop = loadNotificationsSettings({ ...valid, NOTIFICATIONS_MAIL_FROM: 'Shop <shop@example.com>', NOTIFICATIONS_SMTP_BREAKER_HALF_OPEN_MS: '2000' });
    assert.equal(workshop.delivery.from, 'Shop <shop@example.com>');
    assert.equal(workshop.delivery.policy.breaker.halfOpenAfterMs, 2_000);
  });

  it('names every missing or malformed variable at once', () => {
    const env: Record<string, string | undefined> = { ...valid, TOXIPROXY_KAFKA_PORT: '99999', LOG_LEVEL: 'loud' };
    delete env.NOTIFICATIONS_DB_PASSWORD;
    assert.throws(
      () => loadNotificationsSettings(env),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.includes('NOTIFICATIONS_DB_PASSWORD is required') &&
        error.message.includes('TOXIPROXY_KAFKA_PORT="99999" is invalid') &&
        error.message.includes('LOG_LEVEL="loud" is invalid'),
    );
  });

  it('stops the service at start-up with that message and exit code 1', () => {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      env: { ...process.env, NOTIFICATIONS_HTTP_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /notifications: invalid configuration\n {2}- NOTIFICATIONS_HTTP_PORT="eighty" is invalid/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('applies the production abuse limits unless FAULTLINE_RATE_LIMIT_* and the size variables say otherwise (ADR 0016)', () => {
    assert.deepEqual(loadNotificationsSettings(valid).abuseLimits, DEFAULT_ABUSE_LIMITS);
    const limits = loadNotificationsSettings({ ...valid, FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: '5', FAULTLINE_JSON_BODY_LIMIT_BYTES: '2048', FAULTLINE_TRUST_PROXY: '1' }).abuseLimits;
    assert.equal(limits.requestsPerMinute.writes, 5);
    assert.equal(limits.jsonBodyBytes, 2048);
    assert.equal(limits.trustedProxies, 1);
  });
});
