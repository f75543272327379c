import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { startTimeSkippingEnvironment } from '@faultline/shared/temporal-testing';
import { FulfilmentDoubles } from '../order-fulfilment/fulfilment-doubles.js';
import { orderFulfilment } from '../order-fulfilment/order-fulfilment.workflow.js';
import { orderRefund } from './order-refund.workflow.js';
import { refundIdempotencyKey, type OrderRefundResult } from './refund-activities.js';

// The refund's logic on Temporal's time-skipping test server, with billing and the order as doubles
// (a ledger of keys that replays a key's answer; the real decider folded in memory): the order is
// fulfilled by the real OrderFulfilment workflow first, then cancelled, then refunded.
describe('OrderRefund workflow', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;

  before(async () => {
    env = await startTimeSkippingEnvironment();
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../order-fulfilment/order-workflows.js', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    });
  });

  after(() => env?.teardown());

  /** A paid order, cancelled by its customer: the state the refund starts from. */
  async function paidThenCancelled(arrange: (double: FulfilmentDoubles) => void = () => undefined) {
    const order = { orderId: randomUUID(), customerId: randomUUID(), amountMinor: 2_800, currency: 'EUR' };
    const double = new FulfilmentDoubles(order);
    const taskQueue = `order-refund-test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: double.activities() });
    await worker.runUntil(env.client.workflow.execute(orderFulfilment, { args: [order], taskQueue, workflowId: `order-${order.orderId}` }));
    double.apply({ kind: 'cancel-order', orderId: order.orderId, reason: 'changed my mind', at: new Date('2026-11-28T19:00:00.000Z') });
    assert.ok(double.order.status === 'cancelled' && double.order.refundDue, 'the paid order owes its payment back');
    const { paymentId } = double.order.refundDue;
    arrange(double);
    /** The correlationId of the `orders.order.cancelled` that starts the refund. */
    const cancelledBy = `flow-${randomUUID()}`;
    const refund = (): Promise<OrderRefundResult> =>
      Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: double.activities() }).then((refunds) =>
        refunds.runUntil(
          env.client.workflow.execute(orderRefund, {
            args: [{ orderId: order.orderId, paymentId, correlationId: cancelledBy }],
            taskQueue,
            workflowId: `order-refund-${order.orderId}`,
          }),
        ),
      );
    return { double, order, paymentId, refund, cancelledBy };
  }

  it('refunds the captured payment at billing with the key derived from the order, then records the order refunded', async () => {
    const { double, order, paymentId, refund, cancelledBy } = await paidThenCancelled();
    assert.deepEqual(await refund(), { orderId: order.orderId, paymentId, status: 'refunded' });
    assert.deepEqual(double.calls.slice(-2), ['refund', 'refunded']);
    assert.deepEqual(double.flows.slice(-2), [cancelledBy, cancelledBy], "both steps carry the cancellation's correlationId");
    assert.deepEqual([...double.payments.values()].map((p) => p.status), ['refunded']);
    assert.deepEqual(double.requests.get(refundIdempotencyKey(order.orderId)), {
      outcome: 'succeeded',
      payment: { paymentId, status: 'refunded', amountMinor: 2_800, currency: 'EUR' },
    });
    assert.ok(double.order.status === 'refunded');
    assert.deepEqual(double.order.refund.amount, { amountMinor: 2_800, currency: 'EUR' });
  });

  it('retries a refund whose answer was lost with the SAME key, so billing replays it and refunds once', async () => {
    const keys: string[] = [];
    const { double, order, refund } = await paidThenCancelled((d) => {
      const activities = d.activities();
      d.activities = () => ({
        ...activities,
        // Billing refunds, then its answer is lost on the way back: twice.
        refundPayment: async (request) => {
          keys.push(request.idempotencyKey);
          const refunded = await activities.refundPayment(request);
          if (keys.length <= 2) throw ApplicationFailure.retryable('connection reset after billing refunded', 'BillingUnavailable');
          return refunded;
        },
      });
    });
    assert.equal((await refund()).status, 'refunded');
    assert.deepEqual(keys, [1, 2, 3].map(() => refundIdempotencyKey(order.orderId)), 'three attempts, one key');
    const refundRequests = [...double.requests.keys()].filter((key) => key.endsWith(':refund-payment'));
    assert.deepEqual(refundRequests, [refundIdempotencyKey(order.orderId)], 'billing saw one refund request');
    assert.equal(double.count('refunded'), 1);
    assert.equal(double.order.status, 'refunded');
  });

  it('takes a retried record-refund whose commit already happened as done, recording the refund once', async () => {
    const { double, refund } = await paidThenCancelled((d) => {
      const activities = d.activities();
      let attempts = 0;
      d.activities = () => ({
        ...activities,
        // The order's step commits, then the worker loses the activity's completion.
        recordRefund: async (request) => {
          await activities.recordRefund(request);
          attempts += 1;
          if (attempts === 1) throw ApplicationFailure.retryable('completion lost after the commit');
        },
      });
    });
    assert.equal((await refund()).status, 'refunded');
    assert.equal(double.count('refunded'), 2, 'the step ran twice');
    assert.equal(double.order.status, 'refunded', 'and the decider took the second run as done');
  });

  it('fails for a person to look at when billing refuses the refund for good, leaving the order cancelled with its refund due', async () => {
    const { double, refund } = await paidThenCancelled((d) => {
      const activities = d.activities();
      d.activities = () => ({
        ...activities,
        refundPayment: () => Promise.reject(ApplicationFailure.nonRetryable('payment is voided', 'PaymentStateConflict')),
      });
    });
    await assert.rejects(refund(), (error: unknown) => error instanceof WorkflowFailedError);
    assert.ok(double.order.status === 'cancelled' && double.order.refundDue !== undefined);
  });
});
