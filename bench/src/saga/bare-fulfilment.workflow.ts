// The baseline of item 5: the order-fulfilment saga's shape with nothing behind it. Temporal bundles
// this file for its workflow sandbox, so it imports nothing but @temporalio/workflow and types.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BareFulfilmentActivities } from './bare-fulfilment.activities.js';

// The SAME activity options as apps/orders/src/order-fulfilment/order-fulfilment.workflow.ts (the bench
// may not import an app, so they are repeated here; keep them in step): billing calls (authorize,
// capture) with three attempts, the order's own steps (confirm, mark paid) retried without limit.
// The options cost nothing on the happy path, but they are what a task carries to the server.
const payments = proxyActivities<BareFulfilmentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});
const eventually = proxyActivities<BareFulfilmentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The saga's happy path — authorize → confirm → capture → mark paid, four sequential activities with
 * keys from the workflow id — where every activity returns at once: what Temporal alone costs per order.
 */
export async function bareFulfilment(orderId: string): Promise<{ orderId: string; status: 'paid'; paymentId: string }> {
  const keyOf = (step: string) => `${workflowInfo().workflowId}:${step}`;
  const { paymentId } = await payments.authorizePayment(keyOf('authorize-payment'));
  await eventually.confirmOrder(orderId);
  await payments.capturePayment(keyOf('capture-payment'));
  await eventually.markOrderPaid(orderId);
  return { orderId, status: 'paid', paymentId };
}
