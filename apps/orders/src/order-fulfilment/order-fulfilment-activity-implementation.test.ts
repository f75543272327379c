import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment, defaultActivityInfo } from '@temporalio/testing';
import type { Origin } from '@faultline/shared/service-defaults';
import { BillingPayments } from './billing-payments.js';
import { orderFulfilmentActivities } from './order-fulfilment-activity-implementation.js';
import type { OrderFulfilmentSteps } from './order-fulfilment-steps.js';

const paymentId = '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f';
const payment = { paymentId, status: 'captured', amountMinor: 2_800, currency: 'EUR' };

// The activities' origin — what the order's events and billing's request are told about the flow —
// in an activity context of workflow `order-o1`, with the order's steps as a recorder and billing as
// a local HTTP server that writes down the x-correlation-id of each request.
describe('order fulfilment activities', () => {
  let server: Server;
  let billingUrl = '';
  const sent: (string | undefined)[] = [];
  const applied: Origin[] = [];
  const steps = { apply: async (_command: unknown, origin: Origin) => void applied.push(origin) } as unknown as OrderFulfilmentSteps;

  before(async () => {
    server = createServer((request, response) => {
      sent.push(request.headers['x-correlation-id'] as string | undefined);
      // A lookup hears "never received"; a change gets its payment.
      response.writeHead(request.method === 'GET' ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payment));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    billingUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const inWorkflow = (activityType: string) =>
    new MockActivityEnvironment({
      ...defaultActivityInfo,
      workflowExecution: { workflowId: 'order-o1', runId: 'run-1' },
      activityType,
      activityId: '7',
    });

  it("writes the order's step with the flow it was given, and the activity as its cause", async () => {
    const activities = orderFulfilmentActivities(new BillingPayments(billingUrl), steps);
    await inWorkflow('confirmOrder').run(activities.confirmOrder, { orderId: 'o1', paymentId, correlationId: 'flow-1' });
    assert.deepEqual(applied.at(-1), { correlationId: 'flow-1', requestId: 'order-o1/confirmOrder/7' });
  });

  it('sends billing the flow it was given as x-correlation-id, lookups included', async () => {
    const activities = orderFulfilmentActivities(new BillingPayments(billingUrl), steps);
    await inWorkflow('capturePayment').run(activities.capturePayment, { idempotencyKey: 'k', paymentId, correlationId: 'flow-1' });
    assert.deepEqual(await inWorkflow('findPaymentRequest').run(activities.findPaymentRequest, 'k', 'flow-2'), { outcome: 'not-received' });
    assert.deepEqual(sent.slice(-2), ['flow-1', 'flow-2']);
  });

  it('takes the workflow id as the flow of an activity scheduled without one (a workflow started by earlier code)', async () => {
    const activities = orderFulfilmentActivities(new BillingPayments(billingUrl), steps);
    await inWorkflow('markOrderPaid').run(activities.markOrderPaid, { orderId: 'o1', paymentId });
    await inWorkflow('refundPayment').run(activities.refundPayment, { idempotencyKey: 'k', paymentId });
    assert.equal(applied.at(-1)?.correlationId, 'order-o1');
    assert.equal(sent.at(-1), 'order-o1');
  });
});
