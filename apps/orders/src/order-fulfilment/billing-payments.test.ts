import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { BillingPayments } from './billing-payments.js';
import { FulfilmentRefusal, PAYMENT_REQUEST_IN_FLIGHT } from './order-fulfilment-activity-interface.js';

const payment = { paymentId: '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f', status: 'authorized', amountMinor: 2_800, currency: 'EUR' };
const problem = (status: number, detail: string) => ({ type: 'urn:faultline:problem:test', title: 'Test', status, detail });

// The client's mapping of billing's answers (contract D) to what the saga does next, against a local
// HTTP server that answers what each test scripts: a unit test of the mapping, not of billing.
describe('billing payments client', () => {
  let server: Server;
  let billing: BillingPayments;
  let answer: { status: number; body: unknown; headers?: Record<string, string> } = { status: 201, body: payment };
  const received: { method: string; url: string; key: string | undefined; correlationId?: string }[] = [];

  before(async () => {
    server = createServer((request, response) => {
      const { 'idempotency-key': key, 'x-correlation-id': correlationId } = request.headers as Record<string, string | undefined>;
      received.push({ method: request.method ?? '', url: request.url ?? '', key, ...(correlationId !== undefined && { correlationId }) });
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    billing = new BillingPayments(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const failureOf = async (call: Promise<unknown>): Promise<ApplicationFailure> => {
    try {
      await call;
    } catch (error) {
      assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
      return error;
    }
    assert.fail('expected the call to fail');
  };
  const order = { orderId: payment.paymentId, customerId: payment.paymentId, amountMinor: 2_800, currency: 'EUR' };

  it('sends the step key as Idempotency-Key and returns the validated payment', async () => {
    answer = { status: 201, body: { ...payment, orderId: order.orderId } };
    assert.deepEqual(await billing.authorize('order-1:authorize-payment', order), payment);
    assert.deepEqual(received.at(-1), { method: 'POST', url: '/payments/authorizations', key: 'order-1:authorize-payment' });
  });

  it("sends the saga's correlationId as x-correlation-id on every call, so billing's events join the order's flow", async () => {
    answer = { status: 200, body: payment };
    await billing.authorize('k', order, { correlationId: 'flow-1' });
    await billing.change('capture', payment.paymentId, 'k', { correlationId: 'flow-2' });
    answer = { status: 404, body: problem(404, 'never received') };
    await billing.findRequest('k', { correlationId: 'flow-3' });
    assert.deepEqual(received.slice(-3).map((r) => `${r.method} ${r.url.split('/')[2]} ${r.correlationId}`), [
      'POST authorizations flow-1',
      `POST ${payment.paymentId} flow-2`,
      'GET requests flow-3',
    ]);
  });

  it('turns a decline, a state conflict and an invalid request into refusals the saga never retries', async () => {
    for (const [status, type] of [
      [402, FulfilmentRefusal.paymentDeclined],
      [409, FulfilmentRefusal.paymentStateConflict],
      [422, FulfilmentRefusal.paymentRequestInvalid],
    ] as const) {
      answer = { status, body: problem(status, `refused with ${status}`) };
      const failure = await failureOf(billing.change('capture', payment.paymentId, 'k'));
      assert.equal(failure.type, type);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, new RegExp(`${status}: refused with ${status}`));
    }
  });

  it("takes billing's 502 payment-provider-refused as final, but retries any other 502", async () => {
    answer = { status: 502, body: { ...problem(502, 'the provider refused'), type: 'urn:faultline:problem:payment-provider-refused' } };
    const refused = await failureOf(billing.authorize('k', order));
    assert.equal(refused.type, FulfilmentRefusal.paymentFailed);
    assert.equal(refused.nonRetryable, true);
    answer = { status: 502, body: '<html>bad gateway</html>' };
    const gateway = await failureOf(billing.authorize('k', order));
    assert.equal(gateway.nonRetryable, false);
    assert.match(gateway.message, /502: <html>bad gateway/);
  });

  it('retries a 200 whose body is not a Payment, never trusting it (article 6)', async () => {
    answer = { status: 200, body: { paymentId: 'garbage' } };
    const failure = await failureOf(billing.change('capture', payment.paymentId, 'k'));
    assert.equal(failure.type, 'BillingResponseInvalid');
    assert.equal(failure.nonRetryable, false);
  });

  it("retries a 503 after billing's Retry-After", async () => {
    answer = { status: 503, body: problem(503, 'breaker open'), headers: { 'retry-after': '7' } };
    const failure = await failureOf(billing.authorize('k', order));
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.nextRetryDelay, 7_000);
  });

  it("reads billing's record of a key: succeeded, failed with its status, in flight (retry), or never received", async () => {
    answer = { status: 200, body: { idempotencyKey: 'k', operation: 'authorize', outcome: 'succeeded', payment } };
    assert.deepEqual(await billing.findRequest('k'), { outcome: 'succeeded', payment });
    answer = { status: 200, body: { idempotencyKey: 'k', operation: 'authorize', outcome: 'failed', problem: problem(402, 'card declined') } };
    assert.deepEqual(await billing.findRequest('k'), { outcome: 'failed', status: 402, detail: 'card declined' });
    answer = { status: 200, body: { idempotencyKey: 'k', operation: 'authorize', outcome: 'in-flight' } };
    assert.equal((await failureOf(billing.findRequest('k'))).type, PAYMENT_REQUEST_IN_FLIGHT);
    answer = { status: 404, body: problem(404, 'never received') };
    assert.deepEqual(await billing.findRequest('order-1:capture-payment'), { outcome: 'not-received' });
    assert.equal(received.at(-1)?.url, '/payments/requests/order-1%3Acapture-payment');
  });
});
