import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Origin } from '@faultline/shared/service-defaults';
import type { BillingCall, BillingPayments } from './billing-payments.js';
import { FulfilmentRefusal, type OrderFulfilmentActivities } from './order-fulfilment-activity-interface.js';
import type { OrderFulfilmentSteps } from './order-fulfilment-steps.js';

/**
 * The real activities: billing over HTTP with the workflow's idempotency keys, and the order's own
 * steps in this process. Each HTTP call is aborted when Temporal cancels the attempt.
 */
export function orderFulfilmentActivities(billing: BillingPayments, steps: OrderFulfilmentSteps): OrderFulfilmentActivities {
  const origin = (correlationId: string | undefined): Origin => {
    const { workflowExecution, activityId, activityType } = Context.current().info;
    const workflowId = workflowExecution?.workflowId ?? 'no-workflow';
    // The event that started the workflow is the business flow (its correlationId; the workflow id
    // `order-<orderId>` for a workflow started without one); the activity is the cause of what it writes.
    return { correlationId: correlationId ?? workflowId, requestId: `${workflowId}/${activityType}/${activityId}` };
  };
  const call = (correlationId: string | undefined): BillingCall => ({
    signal: Context.current().cancellationSignal,
    correlationId: origin(correlationId).correlationId,
  });
  const orderStep = async (command: Parameters<OrderFulfilmentSteps['apply']>[0], correlationId: string | undefined) => {
    const refused = await steps.apply(command, origin(correlationId));
    if (refused) throw ApplicationFailure.nonRetryable(`${refused.code}: ${refused.reason}`, FulfilmentRefusal.orderStepRefused);
  };
  return {
    authorizePayment: ({ idempotencyKey, correlationId, ...body }) => billing.authorize(idempotencyKey, body, call(correlationId)),
    capturePayment: ({ idempotencyKey, paymentId, correlationId }) => billing.change('capture', paymentId, idempotencyKey, call(correlationId)),
    voidPayment: ({ idempotencyKey, paymentId, correlationId }) => billing.change('void', paymentId, idempotencyKey, call(correlationId)),
    refundPayment: ({ idempotencyKey, paymentId, correlationId }) => billing.change('refund', paymentId, idempotencyKey, call(correlationId)),
    findPaymentRequest: (idempotencyKey, correlationId) => billing.findRequest(idempotencyKey, call(correlationId)),
    confirmOrder: ({ orderId, paymentId, correlationId }) => orderStep({ kind: 'confirm-order', orderId, paymentId }, correlationId),
    rejectOrder: ({ orderId, reason, correlationId }) => orderStep({ kind: 'reject-order', orderId, reason }, correlationId),
    markOrderPaid: ({ orderId, paymentId, correlationId }) => orderStep({ kind: 'mark-order-paid', orderId, paymentId }, correlationId),
    recordRefund: ({ orderId, paymentId, correlationId }) => orderStep({ kind: 'record-refund', orderId, paymentId }, correlationId),
  };
}
