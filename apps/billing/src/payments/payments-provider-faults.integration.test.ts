import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem } from '@faultline/shared/testing';
import { startPaymentProviderProcess, type PaymentProviderProcess } from '../payment-provider/testing/payment-provider-process.js';
import { PaymentRequestLog } from './payment-request-log.js';
import type { PaymentView } from './payments.schema.js';
import { providerIdempotencyKey } from './provider-idempotency-key.js';
import { paymentRequestHash } from './recorded-request.js';
import { serviceFetch, stopTestIssuer } from '../testing/test-tokens.js';
import { anAuthorization, postJson, startBillingAgainstProvider } from './testing/billing-under-test.js';

/** Short, so the timeout cases take a second, not six; the breaker never opens here (article 1 has its own tests). */
const TIMEOUT_MS = 300;

// Article 6's proof, on the real provider with its faults switched on: whatever the provider does
// to an answer, one billing request is at most one charge.
describe('payments when the payment provider fails', () => {
  let provider: PaymentProviderProcess;
  let billing: RunningService;
  const url = (path: string) => `${billing.url}/payments${path}`;
  const authorizations = (orderId: string) => provider.authorizationsFor(orderId);

  before(async () => {
    provider = await startPaymentProviderProcess();
    billing = await startBillingAgainstProvider(provider.port, {
      BILLING_PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      BILLING_PROVIDER_BREAKER_MINIMUM_CALLS: '1000',
    });
  });
  afterEach(() => provider?.clearFaults());
  after(async () => {
    await billing?.app.close();
    await provider?.stop();
    await stopTestIssuer();
  });

  it('charges once when the provider commits and its answer is lost: the retry with the same key gets the charge back', async () => {
    const request = anAuthorization();
    await provider.setFaults({ dropResponseAfterCommit: true, times: 1 });
    const response = await postJson(url('/authorizations'), request);
    assert.equal(response.status, 201, await response.clone().text());
    const payment = (await response.json()) as PaymentView;
    const charges = await authorizations(request.orderId);
    assert.deepEqual(charges.map((charge) => charge.id), [payment.providerAuthorizationId]);
  });

  it('never takes a corrupt body for a success: the request stays unresolved until the provider answers properly, then charges once', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    await provider.setFaults({ corruptBody: true });
    const failed = await postJson(url('/authorizations'), request, key);
    assert.equal(failed.status, 503, await failed.clone().text());
    assert.ok(failed.headers.get('retry-after'), 'a 503 says when to retry');
    assert.deepEqual(await (await serviceFetch(url(`?orderId=${request.orderId}`))).json(), { items: [] });
    assert.equal(((await (await serviceFetch(url(`/requests/${key}`))).json()) as { outcome: string }).outcome, 'in-flight');

    await provider.clearFaults();
    const retried = await postJson(url('/authorizations'), request, key);
    assert.equal(retried.status, 201, await retried.clone().text());
    assert.equal((await authorizations(request.orderId)).length, 1);
  });

  it('forgets a claim the provider never saw once no request works on it: the lookup answers never received, the same-key retry charges once', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    // The provider refuses billing's three attempts with a 503 before any effect: the claim stays in flight.
    await provider.setFaults({ errorRate: 1, times: 3 });
    await expectProblem(await postJson(url('/authorizations'), request, key), 503);
    // Nobody is working on the key and the provider has no record of it: a lookup must not say "in flight"
    // forever (the saga would wait for an answer nothing will produce).
    await expectProblem(await serviceFetch(url(`/requests/${key}`)), 404);

    const retried = await postJson(url('/authorizations'), request, key);
    assert.equal(retried.status, 201, await retried.clone().text());
    assert.equal((await authorizations(request.orderId)).length, 1);
  });

  it('resolves a timeout by asking the provider about the key once, and records the charge it finds', async () => {
    const request = anAuthorization();
    // Billing's three attempts time out, the provider still makes the charge (the first one commits
    // long before the lookup is sent, after three timeouts and two backoffs); the lookup is answered.
    await provider.setFaults({ latencyMs: TIMEOUT_MS + 100, times: 3 });
    const statsBefore = (await provider.stats()).byOperation;
    const response = await postJson(url('/authorizations'), request);
    const statsAfter = (await provider.stats()).byOperation;
    assert.deepEqual([statsAfter.authorize - statsBefore.authorize, statsAfter.lookup - statsBefore.lookup], [3, 1]);
    assert.equal(response.status, 201, await response.clone().text());
    const payment = (await response.json()) as PaymentView;
    assert.deepEqual((await authorizations(request.orderId)).map((charge) => charge.id), [payment.providerAuthorizationId]);
  });

  it('answers a timeout whose outcome cannot be established with a retryable 503, and the retry charges at most once', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    // Every attempt and the lookup by key outlive billing's timeout, but the provider still does the work.
    await provider.setFaults({ latencyMs: TIMEOUT_MS * 3 });
    const unknown = await expectProblem(await postJson(url('/authorizations'), request, key), 503);
    assert.equal(unknown.type, 'urn:faultline:problem:payment-outcome-unknown');
    assert.match(unknown.detail, /Retry with the SAME key/);

    await provider.clearFaults();
    await sleep(TIMEOUT_MS * 3);
    const retried = await postJson(url('/authorizations'), request, key);
    assert.equal(retried.status, 201, await retried.clone().text());
    assert.equal((await authorizations(request.orderId)).length, 1);
  });

  it('finishes a request whose first attempt crashed after the provider charged: the retry gets that charge, not a second one', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    // What a crash leaves: billing's claim, in flight, and the provider's charge under the derived key.
    await billing.app.get(PaymentRequestLog).claim({
      idempotencyKey: key,
      operation: 'authorize',
      requestHash: paymentRequestHash('authorize', null, request),
      providerIdempotencyKey: providerIdempotencyKey('authorize', key),
      paymentId: null,
    });
    const charged = await postJson(
      `${provider.url}/v1/authorizations`,
      { amountMinor: request.amountMinor, currency: request.currency, customerReference: request.customerId, orderReference: request.orderId },
      providerIdempotencyKey('authorize', key),
    );
    assert.equal(charged.status, 201);
    const { id } = (await charged.json()) as { id: string };
    // No request works on the claim: the saga's lookup is told to send it again, not to wait forever.
    await expectProblem(await serviceFetch(url(`/requests/${key}`)), 404);

    const retried = await postJson(url('/authorizations'), request, key);
    assert.equal(retried.status, 201, await retried.clone().text());
    assert.equal(((await retried.json()) as PaymentView).providerAuthorizationId, id);
    assert.equal((await authorizations(request.orderId)).length, 1);
  });

  it('records a declined card as the outcome of its key and answers every retry with the same 402', async () => {
    const request = anAuthorization();
    const key = randomUUID();
    await provider.setFaults({ decline: true, times: 1 });
    const declined = await expectProblem(await postJson(url('/authorizations'), request, key), 402);
    assert.equal(declined.type, 'urn:faultline:problem:payment-declined');

    const replayed = await postJson(url('/authorizations'), request, key);
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    const again = await expectProblem(replayed, 402);
    assert.deepEqual([again.type, again.detail], [declined.type, declined.detail]);
    assert.deepEqual(await authorizations(request.orderId), []);
    const record = (await (await serviceFetch(url(`/requests/${key}`))).json()) as { outcome: string; problem?: { status: number } };
    assert.deepEqual([record.outcome, record.problem?.status], ['failed', 402]);
  });
});
