import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ReplicaReplayControl } from '@faultline/shared/consistency';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { eventually, expectProblem, requireReachable, idleTestConsumer } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { loadBillingSettings } from '../config.js';
import { customerFetch, stopTestIssuer, tokenEnvironment } from '../testing/test-tokens.js';

const env = readFaultlineEnvironment();
const replay = new ReplicaReplayControl({
  host: '127.0.0.1',
  port: Number(env.PG_REPLICA_PORT),
  user: env.PG_SUPERUSER ?? 'postgres',
  password: env.PG_SUPERUSER_PASSWORD ?? '',
});
/** Low, so the lag alert fires within the test; the service's default is 5 s. */
const MAX_LAG_SECONDS = 1;

// Article 7 on the real streaming replica: replay is paused with the superuser to make the replica
// lag on demand, and ALWAYS resumed (every other reader on the machine shares this replica).
describe('billing customer reads routed between primary and replica', () => {
  let service: RunningService;

  const put = async (id: string, displayName: string) => {
    const response = await customerFetch(id)(`${service.url}/customers/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName, timeZone: 'Europe/Paris' }),
    });
    assert.ok(response.ok, `PUT answered ${response.status}`);
    const token = response.headers.get('x-replica-token');
    assert.match(token ?? '', /^[0-9A-F]+\/[0-9A-F]+$/, 'the write returns its replica token');
    return token ?? '';
  };
  const get = async (id: string, token?: string) => {
    const response = await customerFetch(id)(`${service.url}/customers/${id}`, { headers: token ? { 'x-replica-token': token } : {} });
    const body = response.ok ? ((await response.json()) as { displayName: string }) : undefined;
    return { status: response.status, displayName: body?.displayName, servedBy: response.headers.get('x-served-by') };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const sample = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
    return Number(sample?.[1]);
  };

  before(async () => {
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('the PostgreSQL replica for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_REPLICA_PORT));
    await requireReachable('the PostgreSQL replica (direct, to pause replay)', Number(env.PG_REPLICA_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await replay.resume();
    const settings = loadBillingSettings({
      ...env,
      LOG_LEVEL: 'error',
      BILLING_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
      ...(await tokenEnvironment()),
    });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer(settings.orderEvents);
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await replay.resume();
    await service?.app.close();
    await stopTestIssuer();
  });

  it('answers 100 of 100 token-carrying reads with the caller’s own write, from the primary, while replay is paused', async () => {
    const id = randomUUID();
    const servedBy = new Map<string, number>();
    let fresh = 0;
    assert.equal(await replay.pause(), 'paused');
    try {
      for (let i = 0; i < 100; i++) {
        const token = await put(id, `Version ${i}`);
        const read = await get(id, token);
        if (read.displayName === `Version ${i}`) fresh++;
        servedBy.set(String(read.servedBy), (servedBy.get(String(read.servedBy)) ?? 0) + 1);
      }
    } finally {
      await replay.resume();
    }
    assert.equal(fresh, 100);
    assert.deepEqual(Object.fromEntries(servedBy), { primary: 100 });
  });

  it('serves reads from the replica again once replay has resumed and the replica has caught up', async () => {
    const id = randomUUID();
    const token = await put(id, 'After resume');
    const read = await eventually(
      async () => {
        const attempt = await get(id, token);
        return attempt.servedBy === 'replica' ? attempt : undefined;
      },
      { timeoutMs: 10_000, what: 'a read served by the replica' },
    );
    assert.equal(read.displayName, 'After resume');
    const untokened = await eventually(async () => {
      const attempt = await get(id);
      return attempt.servedBy === 'replica' ? attempt : undefined;
    });
    assert.equal(untokened.displayName, 'After resume');
  });

  it('publishes the replica lag, which crosses its alert threshold while replay is paused and recovers after', async () => {
    assert.equal(await metric('replica_lag_threshold_seconds'), MAX_LAG_SECONDS);
    const id = randomUUID();
    await replay.pause();
    try {
      await put(id, 'While paused');
      const lagSeconds = await eventually(
        async () => {
          await put(id, 'Still paused'); // WAL the replica does not replay
          const seconds = await metric('replica_lag_seconds');
          return seconds > MAX_LAG_SECONDS ? seconds : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 200, what: `replica_lag_seconds above ${MAX_LAG_SECONDS}` },
      );
      assert.ok(lagSeconds > MAX_LAG_SECONDS);
      assert.ok((await metric('replica_lag_bytes')) > 0);
      await eventually(async () => ((await metric('replica_reads_forced_to_primary')) === 1 ? true : undefined));
      assert.equal((await get(id)).servedBy, 'primary', 'a read without a token goes to the primary while the replica lags');
    } finally {
      await replay.resume();
    }
    await eventually(async () => ((await metric('replica_reads_forced_to_primary')) === 0 ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the lag to recover',
    });
    assert.ok((await metric('replica_lag_seconds')) <= MAX_LAG_SECONDS);
  });

  it('refuses a replica token it did not issue with a 400 that says what to send', async () => {
    const id = randomUUID();
    const response = await customerFetch(id)(`${service.url}/customers/${id}`, { headers: { 'x-replica-token': 'yesterday' } });
    const problem = await expectProblem(response, 400);
    assert.match(problem.detail, /X-Replica-Token "yesterday" is not a token this service issued/);
  });
});
