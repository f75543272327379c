import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BillingPayments } from './billing-payments.js';
import { FulfilmentRefusal, type OrderFulfilmentActivities } from './order-fulfilment-activity-interface.js';
import type { OrderFulfilmentSteps } from './order-fulfilment-steps.js';

/**
 * The real activities: billing over HTTP with the workflow's idempotency keys, and the order's own
 * steps in this process. Each HTTP call is aborted when Temporal cancels the attempt.
 */
export function orderFulfilmentActivities(billing: BillingPayments, steps: OrderFulfilmentSteps): OrderFulfilmentActivities {
  const signal = () => Context.current().cancellationSignal;
  const origin = () => {
    const { workflowExecution, activityId, activityType } = Context.current().info;
    const workflowId = workflowExecution?.workflowId ?? 'no-workflow';
    // The workflow id (`order-<orderId>`) is the business flow; the activity is the cause of what it writes.
    return { correlationId: workflowId, requestId: `${workflowId}/${activityType}/${activityId}` };
  };
  const orderStep = async (command: Parameters<OrderFulfilmentSteps['apply']>[0]) => {
    const refused = await steps.apply(command, origin());
    if (refused) throw ApplicationFailure.nonRetryable(`${refused.code}: ${refused.reason}`, FulfilmentRefusal.orderStepRefused);
  };
  return {
    authorizePayment: ({ idempotencyKey, ...body }) => billing.authorize(idempotencyKey, body, signal()),
    capturePayment: ({ idempotencyKey, paymentId }) => billing.change('capture', paymentId, idempotencyKey, signal()),
    voidPayment: ({ idempotencyKey, paymentId }) => billing.change('void', paymentId, idempotencyKey, signal()),
    refundPayment: ({ idempotencyKey, paymentId }) => billing.change('refund', paymentId, idempotencyKey, signal()),
    findPaymentRequest: (idempotencyKey) => billing.findRequest(idempotencyKey, signal()),
    confirmOrder: ({ orderId, paymentId }) => orderStep({ kind: 'confirm-order', orderId, paymentId }),
    rejectOrder: ({ orderId, reason }) => orderStep({ kind: 'reject-order', orderId, reason }),
    markOrderPaid: ({ orderId, paymentId }) => orderStep({ kind: 'mark-order-paid', orderId, paymentId }),
    recordRefund: ({ orderId, paymentId }) => orderStep({ kind: 'record-refund', orderId, paymentId }),
  };
}
