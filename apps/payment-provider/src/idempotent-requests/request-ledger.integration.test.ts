import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem } from '@faultline/shared/testing';
import { authorizationView } from '../authorizations/authorization.schema.js';
import { ProviderCalls, newCharge, startPaymentProvider } from '../testing/provider-under-test.js';

describe('payment provider idempotency keys', () => {
  let service: RunningService;
  const provider = new ProviderCalls(() => service.url);

  before(async () => {
    service = await startPaymentProvider();
  });
  after(() => service?.app.close());

  it('answers a retry with the same key and body with the stored authorization, and charges once', async () => {
    const charge = newCharge();
    const key = randomUUID();
    const first = await provider.authorize(charge, key);
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const created = authorizationView.parse(await first.json());
    assert.deepEqual(
      { status: created.status, amountMinor: created.amountMinor, currency: created.currency, orderReference: created.orderReference },
      { status: 'authorized', amountMinor: charge.amountMinor, currency: 'EUR', orderReference: charge.orderReference },
    );

    const retry = await provider.authorize({ ...charge }, key);
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await retry.json(), created);
    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
  });

  it('creates a new authorization for every call without a key: the naive double charge', async () => {
    const charge = newCharge();
    const ids = new Set<string>();
    for (let call = 0; call < 2; call += 1) {
      const response = await provider.authorize(charge);
      assert.equal(response.status, 201);
      ids.add(authorizationView.parse(await response.json()).id);
    }
    assert.equal(ids.size, 2);
    assert.equal(await provider.countAuthorizations(charge.orderReference), 2);
  });

  it('refuses a key reused with a different body with a 422 problem, and charges nothing more', async () => {
    const charge = newCharge();
    const key = randomUUID();
    assert.equal((await provider.authorize(charge, key)).status, 201);
    const problem = await expectProblem(await provider.authorize({ ...charge, amountMinor: charge.amountMinor + 1 }, key), 422);
    assert.equal(problem.type, 'urn:faultline:problem:idempotency-key-reused');
    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
  });

  it('refuses a key reused for another operation with a 422 problem', async () => {
    const key = randomUUID();
    const created = authorizationView.parse(await (await provider.authorize(newCharge(), key)).json());
    await expectProblem(await provider.transition(created.id, 'capture', key), 422);
  });

  it('lets exactly one of two concurrent requests with one key take effect, and answers both alike', async () => {
    const charge = newCharge();
    const key = randomUUID();
    const answers = await Promise.all([provider.authorize(charge, key), provider.authorize(charge, key)]);
    assert.deepEqual(answers.map((a) => a.status), [201, 201]);
    const [a, b] = await Promise.all(answers.map(async (answer) => authorizationView.parse(await answer.json())));
    assert.equal(a?.id, b?.id);
    assert.deepEqual(answers.map((answer) => answer.headers.get('idempotent-replayed')).sort(), ['true', null].sort());
    assert.equal(await provider.countAuthorizations(charge.orderReference), 1);
  });

  it('tells what it did with a key: the operation, its outcome and the stored answer', async () => {
    const key = randomUUID();
    const created = await (await provider.authorize(newCharge(), key)).json();
    const response = await provider.get(`/v1/requests/${key}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { idempotencyKey: key, operation: 'authorize', status: 'succeeded', response: created });
  });

  it('answers 404 for a key it never received, so the client knows sending it is safe', async () => {
    const problem = await expectProblem(await provider.get(`/v1/requests/${randomUUID()}`), 404);
    assert.match(problem.detail, /no request with Idempotency-Key/);
  });

  it('answers 400 for an Idempotency-Key that is not 1 to 255 visible ASCII characters', async () => {
    const problem = await expectProblem(await provider.authorize(newCharge(), 'x'.repeat(256)), 400);
    assert.deepEqual(problem.errors?.map((e) => e.path), ['Idempotency-Key']);
  });
});
