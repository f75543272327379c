import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_ABUSE_LIMITS } from '@faultline/shared/abuse-limits';
import { ConfigurationError } from '@faultline/shared/config';
import { loadOrdersSettings } from './config.js';

const valid = {
  ORDERS_HTTP_PORT: '3101',
  TOXIPROXY_ORDERS_PG_PORT: '25432',
  ORDERS_DB_NAME: 'orders',
  ORDERS_DB_USER: 'orders',
  ORDERS_DB_PASSWORD: 'orders-local',
  TOXIPROXY_KAFKA_PORT: '19095',
  TOXIPROXY_ORDERS_PG_REPLICA_PORT: '25435',
  TEMPORAL_PORT: '17233',
  TEMPORAL_NAMESPACE: 'default',
  BILLING_HTTP_PORT: '3102',
  NOTIFICATIONS_HTTP_PORT: '3103',
  IDENTITY_HTTP_PORT: '3105',
  IDENTITY_ORDERS_CLIENT_SECRET: 'orders-client-secret-for-this-test',
};

describe('orders configuration', () => {
  it('reaches its database and Kafka through Toxiproxy on loopback', () => {
    const settings = loadOrdersSettings(valid);
    assert.deepEqual(settings.http, { host: '127.0.0.1', port: 3101 });
    assert.deepEqual(settings.database, {
      host: '127.0.0.1',
      port: 25432,
      database: 'orders',
      username: 'orders',
      password: 'orders-local',
    });
    assert.deepEqual(settings.kafka.brokers, ['127.0.0.1:19095']);
    assert.equal(settings.logLevel, 'info');
    assert.deepEqual(settings.service, { name: 'orders', version: '0.1.0' });
  });

  it('trusts the identity provider and asks it for its own service tokens as client orders, unless tokens are off', () => {
    const settings = loadOrdersSettings(valid);
    assert.equal(settings.auth?.policy.issuer, 'http://127.0.0.1:3105');
    assert.equal(String(settings.auth?.keys), 'http://127.0.0.1:3105/oidc/jwks');
    assert.deepEqual(settings.serviceTokens, { issuer: 'http://127.0.0.1:3105', clientId: 'orders', clientSecret: 'orders-client-secret-for-this-test' });
    assert.equal(loadOrdersSettings({ ...valid, FAULTLINE_AUTH: 'off' }).serviceTokens, undefined);
    const withoutSecret: Record<string, string | undefined> = { ...valid, IDENTITY_ORDERS_CLIENT_SECRET: undefined };
    assert.throws(
      () => loadOrdersSettings(withoutSecret),
      (error: unknown) => error instanceof ConfigurationError && error.message.includes('IDENTITY_ORDERS_CLIENT_SECRET is not set'),
    );
    assert.equal(loadOrdersSettings({ ...withoutSecret, FAULTLINE_AUTH: 'off' }).serviceTokens, undefined);
  });

  it('publishes in order unless ORDERS_OUTBOX_PUBLISHING says naive, and rejects any other value', () => {
    assert.deepEqual(loadOrdersSettings(valid).outbox, { publishing: 'ordered' });
    assert.deepEqual(loadOrdersSettings({ ...valid, ORDERS_OUTBOX_PUBLISHING: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' }).outbox, { publishing: 'naive' });
    assert.throws(
      () => loadOrdersSettings({ ...valid, ORDERS_OUTBOX_PUBLISHING: 'random' }),
      (error: unknown) => error instanceof ConfigurationError && error.message.includes('ORDERS_OUTBOX_PUBLISHING="random" is invalid'),
    );
  });

  it('refuses naive publishing outside workshop mode, saying how to allow it (article 4)', () => {
    assert.throws(
      () => loadOrdersSettings({ ...valid, ORDERS_OUTBOX_PUBLISHING: 'naive' }),
      (error: unknown) => error instanceof ConfigurationError && /publishing: "naive".*article 4.*FAULTLINE_WORKSHOP_MODE=true/s.test(error.message),
    );
  });

  it('projects at once and honours consistency tokens by default, waiting 500 ms for a lagging projection', () => {
    const { projections } = loadOrdersSettings(valid);
    assert.equal(projections.delayMs, 0);
    assert.equal(projections.readWaitMs, 500);
    assert.equal(projections.reads, 'consistent');
    assert.equal(loadOrdersSettings({ ...valid, ORDERS_CONSISTENT_READ_WAIT_MS: '0' }).projections.readWaitMs, 0);
  });

  it('refuses a projection delay or naive reads outside workshop mode, saying how to allow them (article 5)', () => {
    for (const [name, value] of [['ORDERS_PROJECTION_DELAY_MS', '2000'], ['ORDERS_READS', 'naive']]) {
      assert.throws(
        () => loadOrdersSettings({ ...valid, [name]: value }),
        (error: unknown) => error instanceof ConfigurationError && new RegExp(`${name}=${value}.*article 5.*FAULTLINE_WORKSHOP_MODE=true`, 's').test(error.message),
      );
    }
    const workshop = loadOrdersSettings({ ...valid, ORDERS_PROJECTION_DELAY_MS: '2000', ORDERS_READS: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(workshop.projections.delayMs, 2000);
    assert.equal(workshop.projections.reads, 'naive');
  });

  it('names every missing or malformed variable at once', () => {
    const env: Record<string, string | undefined> = { ...valid, TOXIPROXY_KAFKA_PORT: '99999', LOG_LEVEL: 'loud' };
    delete env.ORDERS_DB_PASSWORD;
    assert.throws(
      () => loadOrdersSettings(env),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.includes('ORDERS_DB_PASSWORD is required') &&
        error.message.includes('TOXIPROXY_KAFKA_PORT="99999" is invalid') &&
        error.message.includes('LOG_LEVEL="loud" is invalid'),
    );
  });

  it('stops the service at start-up with that message and exit code 1', () => {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      env: { ...process.env, ORDERS_HTTP_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /orders: invalid configuration\n {2}- ORDERS_HTTP_PORT="eighty" is invalid/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('runs the order-fulfilment saga by default on task queue order-fulfilment, against local Temporal and billing (article 6)', () => {
    const { fulfilment } = loadOrdersSettings(valid);
    assert.equal(fulfilment.mode, 'saga');
    assert.equal(fulfilment.taskQueue, 'order-fulfilment');
    assert.deepEqual(fulfilment.temporal, { address: '127.0.0.1:17233', namespace: 'default' });
    assert.equal(fulfilment.billingUrl, 'http://127.0.0.1:3102');
    assert.equal(fulfilment.starter.name, 'orders-fulfilment');
    const off = loadOrdersSettings({ ...valid, ORDERS_FULFILMENT: 'off', ORDERS_FULFILMENT_TASK_QUEUE: 'mine' }).fulfilment;
    assert.deepEqual([off.mode, off.taskQueue], ['off', 'mine']);
    assert.equal(fulfilment.placedSince, undefined);
    const cutOver = loadOrdersSettings({ ...valid, ORDERS_FULFILMENT_PLACED_SINCE: '2026-11-28T21:00:00Z' }).fulfilment.placedSince;
    assert.equal(cutOver?.toISOString(), '2026-11-28T21:00:00.000Z');
    assert.throws(
      () => loadOrdersSettings({ ...valid, ORDERS_FULFILMENT: 'later' }),
      (error: unknown) => error instanceof ConfigurationError && error.message.includes('ORDERS_FULFILMENT="later" is invalid'),
    );
  });

  it('applies the production abuse limits unless FAULTLINE_RATE_LIMIT_* and the size variables say otherwise (ADR 0016)', () => {
    assert.deepEqual(loadOrdersSettings(valid).abuseLimits, DEFAULT_ABUSE_LIMITS);
    const limits = loadOrdersSettings({ ...valid, FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: '5', FAULTLINE_JSON_BODY_LIMIT_BYTES: '2048', FAULTLINE_TRUST_PROXY: '1' }).abuseLimits;
    assert.equal(limits.requestsPerMinute.writes, 5);
    assert.equal(limits.jsonBodyBytes, 2048);
    assert.equal(limits.trustedProxies, 1);
  });
});
