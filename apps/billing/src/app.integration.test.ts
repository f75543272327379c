import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { expectProblem, itBehavesLikeAFaultlineService, requireReachable, idleTestConsumer } from '@faultline/shared/testing';
import { AppModule } from './app.module.js';
import { loadBillingSettings } from './config.js';
import { customerFetch, stopTestIssuer, tokenEnvironment, userToken } from './testing/test-tokens.js';

const env = readFaultlineEnvironment();

// The real AppModule on an ephemeral port, against the real PostgreSQL and Kafka through Toxiproxy.
describe('billing service', () => {
  let service: RunningService;
  const url = (path: string) => `${service.url}${path}`;
  const put = (id: string, body: unknown) =>
    customerFetch(id)(url(`/customers/${id}`), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  before(async () => {
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    const settings = loadBillingSettings({ ...env, LOG_LEVEL: 'error', ...(await tokenEnvironment()) });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer(settings.orderEvents);
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await service?.app.close();
    await stopTestIssuer();
  });

  const conformingCustomer = randomUUID();
  itBehavesLikeAFaultlineService({
    baseUrl: () => service.url,
    documentedPaths: ['/customers/{id}', '/orders/{id}', '/metrics'],
    jsonEndpoint: {
      method: 'PUT',
      path: `/customers/${conformingCustomer}`,
      invalidBody: { displayName: '', timeZone: 42 },
      invalidFields: ['displayName', 'timeZone'],
    },
    token: () => userToken(conformingCustomer),
    accessRules: true,
  });

  it('creates a billing profile with 201, replaces it with 200, and keeps its creation time', async () => {
    const id = randomUUID();
    const created = await put(id, { displayName: 'Ada Lovelace', timeZone: 'Europe/London' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/customers/${id}`);
    const first = (await created.json()) as { createdAt: string };

    const replaced = await put(id, { displayName: 'Ada King', timeZone: 'Asia/Tokyo' });
    assert.equal(replaced.status, 200);

    // The write's replica token makes the read see it, whichever database answers (article 7).
    const read = await customerFetch(id)(url(`/customers/${id}`), { headers: { 'x-replica-token': replaced.headers.get('x-replica-token') ?? '' } });
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), {
      customerId: id,
      displayName: 'Ada King',
      timeZone: 'Asia/Tokyo',
      createdAt: first.createdAt,
    });
    assert.match(first.createdAt, /Z$/);
  });

  it('rejects a time zone that is not an IANA zone with a 400 naming the field', async () => {
    for (const timeZone of ['Mars/Olympus_Mons', '+02:00']) {
      const problem = await expectProblem(await put(randomUUID(), { displayName: 'Zed', timeZone }), 400);
      assert.deepEqual(problem.errors?.map((e) => e.path), ['timeZone'], timeZone);
      assert.match(problem.errors?.[0]?.message ?? '', /IANA time zone/);
    }
  });

  it('answers 404 for a customer without a billing profile', async () => {
    const id = randomUUID();
    const problem = await expectProblem(await customerFetch(id)(url(`/customers/${id}`)), 404);
    assert.match(problem.detail, /no billing customer/);
  });
});
