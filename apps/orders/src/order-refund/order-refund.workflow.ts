import { proxyActivities } from '@temporalio/workflow';
import { FulfilmentRefusal } from '../order-fulfilment/order-fulfilment-activity-interface.js';
import { refundIdempotencyKey, type OrderRefundActivities, type OrderRefundInput, type OrderRefundResult } from './refund-activities.js';

// The customer is owed this money, so both steps retry without an attempt limit (backing off to one
// minute) while billing or the provider is down, every attempt with the SAME key. Billing holds one
// request for up to about 8 s of provider attempts, so 15 s per attempt leaves room. A definite "no"
// (billing answers 409: the payment is not captured) is never retried: the workflow fails for a
// person to look at, and the order stays cancelled with its refund pending.
const steps = proxyActivities<OrderRefundActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: Object.values(FulfilmentRefusal) },
});

/**
 * OrderRefund (DESIGN §3, article 6): refund the cancelled order's captured payment at billing →
 * record the order refunded. Started by `orders.order.cancelled` of a paid order, with workflow id
 * `order-refund-<orderId>`, carrying that event's correlationId. Nothing to compensate: the only step after the refund records it.
 */
export async function orderRefund({ orderId, paymentId, correlationId }: OrderRefundInput): Promise<OrderRefundResult> {
  await steps.refundPayment({ idempotencyKey: refundIdempotencyKey(orderId), paymentId, correlationId });
  await steps.recordRefund({ orderId, paymentId, correlationId });
  return { orderId, paymentId, status: 'refunded' };
}
