import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { startTimeSkippingEnvironment } from '@faultline/shared/temporal-testing';
import { FulfilmentDoubles } from './fulfilment-doubles.js';
import type { OrderFulfilmentInput, OrderFulfilmentResult } from './order-fulfilment-activity-interface.js';
import { orderFulfilment } from './order-fulfilment.workflow.js';

// The saga's logic on Temporal's time-skipping test server, with billing and the order as doubles:
// timeouts and retry back-offs pass in virtual time.
describe('OrderFulfilment workflow', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;
  const doubles: FulfilmentDoubles[] = [];

  before(async () => {
    // No fixed port: other test files may run a test server at the same time.
    env = await startTimeSkippingEnvironment();
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./order-fulfilment.workflow.js', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    });
  });

  after(async () => {
    for (const double of doubles) double.release();
    await env?.teardown();
  });

  /** Runs an order's fulfilment; `placedBy` is the correlationId of its placing event (`{}`: started by earlier code, without one). */
  async function fulfil(
    arrange: (double: FulfilmentDoubles) => void = () => undefined,
    { placedBy }: { placedBy?: string } = { placedBy: `flow-${randomUUID()}` },
  ) {
    const order: OrderFulfilmentInput = { orderId: randomUUID(), customerId: randomUUID(), amountMinor: 2_800, currency: 'EUR', correlationId: placedBy };
    const double = new FulfilmentDoubles(order);
    doubles.push(double);
    arrange(double);
    const taskQueue = `order-fulfilment-test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: double.activities() });
    const result: OrderFulfilmentResult = await worker.runUntil(
      env.client.workflow.execute(orderFulfilment, { args: [order], taskQueue, workflowId: `order-${order.orderId}` }),
    );
    double.release();
    return { result, double, order };
  }

  it('authorizes, confirms, captures and marks the order paid, charging once', async () => {
    const { result, double } = await fulfil();
    assert.equal(result.status, 'paid');
    assert.deepEqual(double.calls, ['authorize', 'confirm', 'capture', 'paid']);
    assert.equal(double.order.status, 'paid');
    assert.deepEqual([...double.payments.values()].map((p) => p.status), ['captured']);
  });

  it('rejects the order when the authorization is declined, and captures nothing', async () => {
    const { result, double } = await fulfil((d) => (d.declineAuthorizations = true));
    assert.ok(result.status === 'rejected', `expected a rejection, got ${JSON.stringify(result)}`);
    assert.match(result.reason, /PaymentDeclined: card declined/);
    assert.equal(double.count('authorize'), 1, 'a decline is final, not retried');
    assert.equal(double.count('capture'), 0);
    assert.equal(double.count('void'), 0, 'nothing was authorized, so nothing is voided');
    assert.ok(double.order.status === 'rejected');
    assert.match(double.order.rejection.reason, /PaymentDeclined/);
  });

  it('voids the authorization and rejects the confirmed order when billing refuses the capture', async () => {
    const { result, double } = await fulfil((d) => (d.refuseCaptures = true));
    assert.equal(result.status, 'rejected');
    assert.deepEqual(double.calls.filter((c) => c !== 'lookup'), ['authorize', 'confirm', 'capture', 'void', 'reject']);
    assert.deepEqual([...double.payments.values()].map((p) => p.status), ['voided']);
    assert.equal(double.order.status, 'rejected');
  });

  it('refunds the capture when the order can no longer be marked paid, and leaves the cancelled order cancelled', async () => {
    const { result, double } = await fulfil((d) => {
      const activities = d.activities();
      // The customer cancels the confirmed order while its payment is being captured.
      d.activities = () => ({
        ...activities,
        capturePayment: async (request) => {
          d.apply({ kind: 'cancel-order', orderId: d.orderId, reason: 'changed my mind', at: new Date('2026-11-28T18:00:02.000Z') });
          return activities.capturePayment(request);
        },
      });
    });
    assert.ok(result.status === 'rejected');
    assert.match(result.reason, /OrderStepRefused: .* is cancelled/);
    assert.deepEqual(double.calls.filter((c) => c !== 'lookup'), ['authorize', 'confirm', 'capture', 'paid', 'refund', 'reject']);
    assert.deepEqual([...double.payments.values()].map((p) => p.status), ['refunded']);
    assert.equal(double.order.status, 'cancelled');
  });

  it("gives every activity, compensations included, the correlationId of the order's placing event", async () => {
    const { double, order } = await fulfil((d) => (d.refuseCaptures = true));
    assert.deepEqual(double.calls.filter((c) => c !== 'lookup'), ['authorize', 'confirm', 'capture', 'void', 'reject']);
    assert.deepEqual(new Set(double.flows), new Set([order.correlationId]));
  });

  it('leaves the correlationId out of the activities of a workflow started without one, for them to take the workflow id', async () => {
    const { result, double } = await fulfil(undefined, {});
    assert.equal(result.status, 'paid');
    assert.deepEqual(new Set(double.flows), new Set([undefined]));
  });

  it('settles an authorization that timed out after billing committed it by asking billing for its key — charged once, order paid', async () => {
    const { result, double } = await fulfil((d) => {
      d.answerNever.add('authorize');
      // The test server does not skip time while an activity runs: move it past the attempt's timeout.
      d.onHang = () => env.sleep('20 seconds');
    });
    assert.equal(result.status, 'paid');
    assert.equal(double.payments.size, 1, 'exactly one authorization exists');
    assert.equal(double.requests.size, 2, 'one authorize key and one capture key, whatever the number of attempts');
    assert.ok(double.count('authorize') >= 1);
    assert.equal(double.count('lookup'), 1, 'the unknown outcome was resolved by asking for the key');
    assert.deepEqual([...double.payments.values()].map((p) => p.status), ['captured']);
    assert.equal(double.order.status, 'paid');
  });
});
