import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem } from '@faultline/shared/testing';
import { startPaymentProviderProcess, type PaymentProviderProcess } from '../payment-provider/testing/payment-provider-process.js';
import type { PaymentView } from './payments.schema.js';
import { serviceFetch, stopTestIssuer } from '../testing/test-tokens.js';
import { anAuthorization, postJson, startBillingAgainstProvider } from './testing/billing-under-test.js';

// Billing's payments API (contract D) in front of the REAL payment provider simulator, in its own process.
describe('payments API against the payment provider', () => {
  let provider: PaymentProviderProcess;
  let billing: RunningService;
  const url = (path: string) => `${billing.url}/payments${path}`;
  const authorize = async (body = anAuthorization(), key = randomUUID()) => {
    const response = await postJson(url('/authorizations'), body, key);
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as PaymentView;
  };
  const change = (paymentId: string, operation: 'capture' | 'void' | 'refund', key = randomUUID()) =>
    postJson(url(`/${paymentId}/${operation}`), {}, key);

  before(async () => {
    provider = await startPaymentProviderProcess();
    billing = await startBillingAgainstProvider(provider.port);
  });
  after(async () => {
    await billing?.app.close();
    await provider?.stop();
    await stopTestIssuer();
  });

  it('authorizes, captures and refunds a payment, each status as the provider reports it', async () => {
    const request = anAuthorization(12_345);
    const authorized = await authorize(request);
    assert.equal(authorized.status, 'authorized');
    assert.deepEqual(
      { orderId: authorized.orderId, customerId: authorized.customerId, amountMinor: authorized.amountMinor, currency: authorized.currency },
      request,
    );
    assert.match(authorized.providerAuthorizationId, /^auth_/);

    const captured = await change(authorized.paymentId, 'capture');
    assert.equal(captured.status, 200);
    assert.equal(((await captured.json()) as PaymentView).status, 'captured');
    const refunded = await change(authorized.paymentId, 'refund');
    assert.equal(((await refunded.json()) as PaymentView).status, 'refunded');

    const read = (await (await serviceFetch(url(`/${authorized.paymentId}`))).json()) as PaymentView;
    assert.equal(read.status, 'refunded');
    assert.equal(read.createdAt, authorized.createdAt);
    const list = (await (await serviceFetch(url(`?orderId=${request.orderId}`))).json()) as { items: PaymentView[] };
    assert.deepEqual(list.items.map((p) => p.paymentId), [authorized.paymentId]);
    assert.deepEqual((await provider.authorizationsFor(request.orderId)).map((a) => a.status), ['refunded']);
  });

  it('voids an authorized payment, then refuses to capture it with a 409 and never asks the provider', async () => {
    const { paymentId } = await authorize();
    // Without a body at all: the key is the whole request.
    const voided = await serviceFetch(url(`/${paymentId}/void`), { method: 'POST', headers: { 'idempotency-key': randomUUID() } });
    assert.equal(((await voided.json()) as PaymentView).status, 'voided');
    const key = randomUUID();
    const capturesBefore = (await provider.stats()).byOperation.capture;
    const problem = await expectProblem(await change(paymentId, 'capture', key), 409);
    assert.equal((await provider.stats()).byOperation.capture, capturesBefore);
    assert.equal(problem.type, 'urn:faultline:problem:payment-state-conflict');
    assert.match(problem.detail, /a voided payment cannot be captured/);
    // A refused request leaves no record: the key can be used again once the payment allows it.
    await expectProblem(await serviceFetch(url(`/requests/${key}`)), 404);
  });

  it('answers 400 to a request lookup by a key no payment command accepts, a NUL or an over-long one', async () => {
    for (const key of ['%00', 'k'.repeat(256), 'cl%C3%A9']) {
      const problem = await expectProblem(await serviceFetch(url(`/requests/${key}`)), 400);
      assert.deepEqual(problem.errors?.map((error) => error.path), ['idempotencyKey']);
    }
  });

  it('lets only one of a racing capture and void of one payment through, and agrees with the provider on which', async () => {
    const { paymentId, orderId } = await authorize();
    const [captured, voided] = await Promise.all([change(paymentId, 'capture'), change(paymentId, 'void')]);
    const statuses = [captured.status, voided.status];
    assert.ok(statuses.includes(200) && statuses.includes(409), `statuses ${statuses.join(', ')}`);
    const winner = captured.status === 200 ? 'captured' : 'voided';
    assert.equal(((await (await serviceFetch(url(`/${paymentId}`))).json()) as PaymentView).status, winner);
    assert.deepEqual((await provider.authorizationsFor(orderId)).map((charge) => charge.status), [winner]);
  });

  it('answers a retry with the same key with the stored payment marked Idempotent-Replayed, and charges once', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    const first = await postJson(url('/authorizations'), request, key);
    const retry = await postJson(url('/authorizations'), request, key);
    assert.deepEqual([first.status, retry.status], [201, 201]);
    assert.deepEqual(await retry.json(), await first.json());
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal((await provider.authorizationsFor(request.orderId)).length, 1);
  });

  it('refuses a key reused with another request with 422, and a request without a key with 400', async () => {
    const key = randomUUID();
    const { paymentId } = await authorize(anAuthorization(), key);
    const reused = await expectProblem(await postJson(url('/authorizations'), anAuthorization(), key), 422);
    assert.equal(reused.type, 'urn:faultline:problem:idempotency-key-reused');
    // The same key on another operation is another request too.
    await expectProblem(await change(paymentId, 'capture', key), 422);
    const missing = await expectProblem(await postJson(url('/authorizations'), anAuthorization(), null), 400);
    assert.equal(missing.type, 'urn:faultline:problem:idempotency-key-required');
  });

  it('charges once for concurrent requests with one key, and answers every one of them with that payment', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 6 }, () => postJson(url('/authorizations'), request, key)));
    assert.deepEqual(
      responses.map((response) => response.status),
      responses.map(() => 201),
    );
    const paymentIds = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as PaymentView).paymentId)));
    assert.equal(paymentIds.size, 1);
    assert.equal((await provider.authorizationsFor(request.orderId)).length, 1);
  });

  it('tells the saga what became of a request by its key, and 404 for a key it never received', async () => {
    const key = randomUUID();
    const payment = await authorize(anAuthorization(), key);
    const record = await serviceFetch(url(`/requests/${key}`));
    assert.equal(record.status, 200);
    assert.deepEqual(await record.json(), { idempotencyKey: key, operation: 'authorize', outcome: 'succeeded', payment });
    await expectProblem(await serviceFetch(url(`/requests/${randomUUID()}`)), 404);
  });

  it('documents every payment route in OpenAPI, with the Idempotency-Key header on the commands', async () => {
    const document = (await (await fetch(`${billing.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>>;
    };
    for (const path of ['/payments/authorizations', '/payments/{paymentId}/capture', '/payments/{paymentId}/void', '/payments/{paymentId}/refund']) {
      const header = document.paths[path]?.post?.parameters?.find((parameter) => parameter.in === 'header');
      assert.deepEqual([header?.name, header?.required], ['Idempotency-Key', true], path);
    }
    for (const path of ['/payments', '/payments/{paymentId}', '/payments/requests/{idempotencyKey}']) assert.ok(document.paths[path]?.get, path);
  });

  it('answers 404 for a change of a payment billing does not have', async () => {
    const problem = await expectProblem(await change(randomUUID(), 'capture'), 404);
    assert.match(problem.detail, /no payment/);
  });
});
