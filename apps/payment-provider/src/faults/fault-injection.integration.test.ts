import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, it } from 'node:test';
import type { RunningService } from '@faultline/shared/service-defaults';
import { eventually, expectProblem } from '@faultline/shared/testing';
import { authorizationView } from '../authorizations/authorization.schema.js';
import { ProviderCalls, newCharge, startPaymentProvider } from '../testing/provider-under-test.js';
import { HeldRequests } from './held-requests.js';

/** A client that gives up after this long; the hang and latency faults outlast it. */
const CLIENT_TIMEOUT_MS = 300;

/** POST /v1/authorizations with node:http, whose errors say what happened to the socket. */
function authorizeWithNodeHttp(baseUrl: string, charge: unknown, idempotencyKey: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(charge);
    const request = httpRequest(`${baseUrl}/v1/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': idempotencyKey },
    });
    request.once('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0 });
    });
    request.once('error', reject);
    request.end(body);
  });
}

describe('payment provider faults, seen from a real HTTP client', () => {
  let service: RunningService;
  const provider = new ProviderCalls(() => service.url);

  before(async () => {
    service = await startPaymentProvider();
  });
  afterEach(() => provider.clearFaults());
  after(() => service?.app.close());

  it('hangs: no answer, not even once the fault is cleared, and the request is released when the client gives up', async () => {
    await provider.setFaults({ hang: true });
    const charge = newCharge();
    const hung = provider.authorize(charge, randomUUID(), { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    await eventually(async () => (service.app.get(HeldRequests).size === 1 ? true : undefined), { what: 'the request held' });
    await provider.clearFaults();
    await assert.rejects(hung, (error: Error) => error.name === 'TimeoutError');
    await eventually(async () => (service.app.get(HeldRequests).size === 0 ? true : undefined), { what: 'the hung request released' });
    assert.equal(await provider.countAuthorizations(charge.orderReference), 0);
  });

  it('holds nothing for a client that gave up during a delay before the hang', async () => {
    await provider.setFaults({ latencyMs: CLIENT_TIMEOUT_MS * 2, hang: true, times: 1 });
    await assert.rejects(provider.authorize(newCharge(), randomUUID(), { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) }));
    await sleep(CLIENT_TIMEOUT_MS * 2);
    assert.equal(service.app.get(HeldRequests).size, 0);
  });

  it('delays by latencyMs, and still charges when the client gave up first: an unknown outcome', async () => {
    await provider.setFaults({ latencyMs: CLIENT_TIMEOUT_MS * 2 });
    const charge = newCharge();
    const key = randomUUID();
    await assert.rejects(provider.authorize(charge, key, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) }));
    await provider.clearFaults();
    const record = await eventually(
      async () => {
        const response = await provider.get(`/v1/requests/${key}`);
        return response.status === 200 ? ((await response.json()) as { status: string }) : undefined;
      },
      { what: 'the delayed authorization committed' },
    );
    assert.equal(record.status, 'succeeded');
  });

  it('drops the response after the commit: the socket hangs up, but the authorization exists and a retry replays it', async () => {
    await provider.setFaults({ dropResponseAfterCommit: true, times: 1 });
    const charge = newCharge();
    const key = randomUUID();
    await assert.rejects(authorizeWithNodeHttp(service.url, charge, key), /socket hang up/);

    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
    const record = (await (await provider.get(`/v1/requests/${key}`)).json()) as { status: string; response: unknown };
    assert.equal(record.status, 'succeeded');
    const retry = await provider.authorize(charge, key);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await retry.json(), record.response);
    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
  });

  it('corrupts the body: a 200 whose body fails the schema, while the authorization was made', async () => {
    await provider.setFaults({ corruptBody: true, times: 1 });
    const charge = newCharge();
    const response = await provider.authorize(charge, randomUUID());
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body: unknown = await response.json();
    assert.equal(authorizationView.safeParse(body).success, false, JSON.stringify(body));
    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
  });

  it('fails with 503 before any effect at errorRate 1, and only for the next `times` requests', async () => {
    await provider.setFaults({ errorRate: 1, times: 2 });
    const charge = newCharge();
    const statuses: number[] = [];
    for (let call = 0; call < 3; call += 1) statuses.push((await provider.authorize(charge, randomUUID())).status);
    assert.deepEqual(statuses, [503, 503, 201]);
    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
    assert.equal(((await (await provider.get('/admin/faults')).json()) as { errorRate: number }).errorRate, 0);
  });

  it('declines with a 402 problem recorded under the key, so a retry is declined again', async () => {
    await provider.setFaults({ decline: true, times: 1 });
    const charge = newCharge();
    const key = randomUUID();
    const problem = await expectProblem(await provider.authorize(charge, key), 402);
    assert.equal(problem.type, 'urn:faultline:problem:card-declined');

    const retry = await provider.authorize(charge, key);
    await expectProblem(retry, 402);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    const record = (await (await provider.get(`/v1/requests/${key}`)).json()) as { status: string };
    assert.equal(record.status, 'failed');
    assert.equal(await provider.countAuthorizations(charge.orderReference), 0);
  });

  it('answers the current faults on PUT and GET, and none after DELETE', async () => {
    const put = await fetch(`${service.url}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 50, times: 3 }),
    });
    const expected = { latencyMs: 50, errorRate: 0, hang: false, dropResponseAfterCommit: false, corruptBody: false, decline: false, times: 3 };
    assert.deepEqual(await put.json(), expected);
    assert.deepEqual(await (await provider.get('/admin/faults')).json(), expected);
    const cleared = await fetch(`${service.url}/admin/faults`, { method: 'DELETE' });
    assert.equal(((await cleared.json()) as { latencyMs: number }).latencyMs, 0);
  });
});

describe('payment provider shutdown', () => {
  it('shuts down gracefully while a request hangs, cutting that connection', async () => {
    const service = await startPaymentProvider();
    const provider = new ProviderCalls(() => service.url);
    await provider.setFaults({ hang: true });
    const hung = authorizeWithNodeHttp(service.url, newCharge(), randomUUID());
    await eventually(async () => (service.app.get(HeldRequests).size === 1 ? true : undefined), { what: 'the request held' });

    const started = performance.now();
    await service.app.close();
    assert.ok(performance.now() - started < 5_000, 'closed without waiting for the hung client');
    await assert.rejects(hung, /socket hang up/);
  });
});
