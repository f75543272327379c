import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_ABUSE_LIMITS } from '@faultline/shared/abuse-limits';
import { ConfigurationError } from '@faultline/shared/config';
import { loadBillingSettings } from './config.js';

const valid = {
  BILLING_HTTP_PORT: '3102',
  TOXIPROXY_BILLING_PG_PORT: '25433',
  BILLING_DB_NAME: 'billing',
  BILLING_DB_USER: 'billing',
  BILLING_DB_PASSWORD: 'billing-local',
  TOXIPROXY_KAFKA_PORT: '19095',
  TOXIPROXY_BILLING_PG_REPLICA_PORT: '25436',
  TEMPORAL_PORT: '17233',
  TEMPORAL_NAMESPACE: 'default',
  PAYMENT_PROVIDER_HTTP_PORT: '3104',
  ORDERS_HTTP_PORT: '3101',
  NOTIFICATIONS_HTTP_PORT: '3103',
  IDENTITY_HTTP_PORT: '3105',
};

describe('billing configuration', () => {
  it('reaches its database and Kafka through Toxiproxy on loopback', () => {
    const settings = loadBillingSettings(valid);
    assert.deepEqual(settings.http, { host: '127.0.0.1', port: 3102 });
    assert.deepEqual(settings.database, {
      host: '127.0.0.1',
      port: 25433,
      database: 'billing',
      username: 'billing',
      password: 'billing-local',
    });
    assert.deepEqual(settings.kafka.brokers, ['127.0.0.1:19095']);
    assert.equal(settings.logLevel, 'info');
    assert.deepEqual(settings.service, { name: 'billing', version: '0.1.0' });
  });

  it('consumes order events through the ordering guard unless BILLING_CONSUMER_ORDERING says naive', () => {
    assert.equal(loadBillingSettings(valid).orderEvents.ordering, 'guarded');
    assert.equal(loadBillingSettings({ ...valid, BILLING_CONSUMER_ORDERING: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' }).orderEvents.ordering, 'naive');
    assert.throws(
      () => loadBillingSettings({ ...valid, BILLING_CONSUMER_ORDERING: 'unordered' }),
      (error: unknown) => error instanceof ConfigurationError && error.message.includes('BILLING_CONSUMER_ORDERING="unordered" is invalid'),
    );
  });

  it('refuses to start with naive ordering outside workshop mode, saying how to allow it (article 4)', () => {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      env: { ...process.env, BILLING_CONSUMER_ORDERING: 'naive', FAULTLINE_WORKSHOP_MODE: '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /billing-orders option ordering: "naive" reproduces article 4's .* FAULTLINE_WORKSHOP_MODE=true/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('publishes its payment events in order unless BILLING_OUTBOX_PUBLISHING says naive, and rejects any other value (article 4)', () => {
    assert.deepEqual(loadBillingSettings(valid).outbox, { publishing: 'ordered' });
    assert.deepEqual(loadBillingSettings({ ...valid, BILLING_OUTBOX_PUBLISHING: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' }).outbox, { publishing: 'naive' });
    assert.throws(
      () => loadBillingSettings({ ...valid, BILLING_OUTBOX_PUBLISHING: 'random' }),
      (error: unknown) => error instanceof ConfigurationError && error.message.includes('BILLING_OUTBOX_PUBLISHING="random" is invalid'),
    );
  });

  it('refuses naive publishing of its payment events outside workshop mode, saying how to allow it (article 4)', () => {
    assert.throws(
      () => loadBillingSettings({ ...valid, BILLING_OUTBOX_PUBLISHING: 'naive' }),
      (error: unknown) => error instanceof ConfigurationError && /outbox option publishing: "naive" reproduces article 4's .* FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
  });

  it('routes customer reads through its replica link by token and lag unless BILLING_REPLICA_READS says naive (article 7)', () => {
    const { replicaReads } = loadBillingSettings(valid);
    assert.deepEqual(replicaReads, {
      replica: { host: '127.0.0.1', port: 25436, database: 'billing', username: 'billing', password: 'billing-local' },
      reads: 'routed',
      maxLagSeconds: 5,
      tokenWaitMs: 200,
    });
    assert.equal(loadBillingSettings({ ...valid, BILLING_REPLICA_READS: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' }).replicaReads.reads, 'naive');
  });

  it('refuses naive replica reads outside workshop mode, saying how to allow them (article 7)', () => {
    assert.throws(
      () => loadBillingSettings({ ...valid, BILLING_REPLICA_READS: 'naive' }),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /replica reads: "naive" reproduces article 7's stale read .* FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
  });

  it('bills each customer at 09:00 in their own zone on the billing-runs queue unless BILLING_RUN_SCHEDULE says naive (article 9)', () => {
    const { billingRuns } = loadBillingSettings(valid);
    assert.deepEqual(
      { ...billingRuns, serverTimeZone: undefined },
      { temporal: { address: '127.0.0.1:17233', namespace: 'default' }, taskQueue: 'billing-runs', schedule: 'per-customer-zone', runAt: { hour: 9, minute: 0 }, serverTimeZone: undefined },
    );
    assert.equal(loadBillingSettings({ ...valid, BILLING_RUN_SCHEDULE: 'naive', FAULTLINE_WORKSHOP_MODE: 'true' }).billingRuns.schedule, 'naive');
    assert.throws(
      () => loadBillingSettings({ ...valid, BILLING_RUN_SCHEDULE: 'naive' }),
      (error: unknown) => error instanceof ConfigurationError && /BILLING_RUN_SCHEDULE=naive reproduces article 9's .* FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
  });

  it('names every missing or malformed variable at once', () => {
    const env: Record<string, string | undefined> = { ...valid, TOXIPROXY_KAFKA_PORT: '99999', LOG_LEVEL: 'loud' };
    delete env.BILLING_DB_PASSWORD;
    assert.throws(
      () => loadBillingSettings(env),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.includes('BILLING_DB_PASSWORD is required') &&
        error.message.includes('TOXIPROXY_KAFKA_PORT="99999" is invalid') &&
        error.message.includes('LOG_LEVEL="loud" is invalid'),
    );
  });

  it('stops the service at start-up with that message and exit code 1', () => {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      env: { ...process.env, BILLING_HTTP_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /billing: invalid configuration\n {2}- BILLING_HTTP_PORT="eighty" is invalid/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('applies the production abuse limits unless FAULTLINE_RATE_LIMIT_* and the size variables say otherwise (ADR 0016)', () => {
    assert.deepEqual(loadBillingSettings(valid).abuseLimits, DEFAULT_ABUSE_LIMITS);
    const limits = loadBillingSettings({ ...valid, FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: '5', FAULTLINE_JSON_BODY_LIMIT_BYTES: '2048', FAULTLINE_TRUST_PROXY: '1' }).abuseLimits;
    assert.equal(limits.requestsPerMinute.writes, 5);
    assert.equal(limits.jsonBodyBytes, 2048);
    assert.equal(limits.trustedProxies, 1);
  });
});
