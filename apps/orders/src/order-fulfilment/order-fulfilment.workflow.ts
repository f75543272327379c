import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities, rootCause, workflowInfo } from '@temporalio/workflow';
import {
  FulfilmentRefusal,
  type Correlated,
  type OrderFulfilmentActivities,
  type OrderFulfilmentInput,
  type OrderFulfilmentResult,
  type Payment,
} from './order-fulfilment-activity-interface.js';
import { Saga } from './saga.js';

const refusals: string[] = Object.values(FulfilmentRefusal);

// Calls to billing. Billing retries the provider itself (3 attempts, 2 s timeout each, contract B),
// so 15 s holds one billing request with room to spare. Three attempts with the SAME idempotency
// key ride out a billing restart; a definite "no" (declined, conflict) is never retried.
const payments = proxyActivities<OrderFulfilmentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3, nonRetryableErrorTypes: refusals },
});

// Asking billing what became of a key: retried while billing's own call is still in flight, for up
// to about ten minutes (20 attempts, backing off to 30 s), then the saga gives the order up.
const lookups = proxyActivities<OrderFulfilmentActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 },
});

// Compensations and the order's own steps must happen in the end — a payment left authorized, or an
// order left confirmed, is exactly the half-done state this saga exists to prevent — so they retry
// without an attempt limit (backing off to one minute) until the dependency is back.
const eventually = proxyActivities<OrderFulfilmentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: refusals },
});

/**
 * OrderFulfilment (DESIGN §3 step 3, article 6): authorize the payment → confirm the order → capture
 * the payment → mark the order paid, each step with its compensation beside it. Started by
 * `orders.order.placed` with workflow id `order-<orderId>`; every activity carries that event's
 * correlationId (`flow`), so what the saga causes, here and at billing, stays in the order's flow.
 */
export async function orderFulfilment({ orderId, customerId, amountMinor, currency, correlationId }: OrderFulfilmentInput): Promise<OrderFulfilmentResult> {
  const flow: Correlated = { correlationId };
  const saga = new Saga();
  try {
    // Whatever step the saga gives up at, the placed order ends rejected (a no-op if it was cancelled).
    saga.onFailure('reject the order', (failure) => eventually.rejectOrder({ ...flow, orderId, reason: reasonOf(failure) }));
    const authorization = await saga.step(() => authorize(flow, { orderId, customerId, amountMinor, currency }), {
      'void the authorization': async (authorized) => voidUncaptured(flow, authorized ?? (await paymentBehind(flow, 'authorize-payment')), undefined),
    });
    const { paymentId } = authorization;
    await saga.step(() => eventually.confirmOrder({ ...flow, orderId, paymentId }));
    // From the capture on, undoing the authorization depends on the capture too: a captured payment is refunded, not voided.
    await saga.step(() => capture(flow, paymentId), {
      'refund the capture': async (captured) => refundCaptured(flow, paymentId, captured ?? (await paymentBehind(flow, 'capture-payment'))),
      'void the authorization': async (captured) => voidUncaptured(flow, authorization, captured ?? (await paymentBehind(flow, 'capture-payment'))),
    });
    await saga.step(() => eventually.markOrderPaid({ ...flow, orderId, paymentId }));
    return { orderId, status: 'paid', paymentId };
  } catch (error) {
    await saga.compensate(error);
    if (isCancellation(error)) throw error;
    return { orderId, status: 'rejected', reason: reasonOf(error) };
  }
}

/**
 * The Idempotency-Key of one of the saga's billing requests. Keys come from the workflow id and the
 * step, never the attempt: every retry of a step, and a replay of the whole workflow, reaches billing
 * with the same key (article 6's double charge).
 */
function keyOf(step: 'authorize-payment' | 'capture-payment' | 'void-payment' | 'refund-payment'): string {
  return `${workflowInfo().workflowId}:${step}`;
}

type Order = Omit<Parameters<OrderFulfilmentActivities['authorizePayment']>[0], 'idempotencyKey' | 'correlationId'>;

function authorize(flow: Correlated, order: Order): Promise<Payment> {
  const idempotencyKey = keyOf('authorize-payment');
  return settled(flow, idempotencyKey, () => payments.authorizePayment({ ...flow, idempotencyKey, ...order }));
}

function capture(flow: Correlated, paymentId: string): Promise<Payment> {
  const idempotencyKey = keyOf('capture-payment');
  return settled(flow, idempotencyKey, () => payments.capturePayment({ ...flow, idempotencyKey, paymentId }));
}

/** Voids an authorization that was made and not captured: a captured payment is refunded instead. */
async function voidUncaptured(flow: Correlated, authorized: Payment | undefined, captured: Payment | undefined): Promise<void> {
  if (authorized === undefined || captured !== undefined) return;
  await eventually.voidPayment({ ...flow, idempotencyKey: keyOf('void-payment'), paymentId: authorized.paymentId });
}

/** Refunds the payment if it was captured. */
async function refundCaptured(flow: Correlated, paymentId: string, captured: Payment | undefined): Promise<void> {
  if (captured === undefined) return;
  await eventually.refundPayment({ ...flow, idempotencyKey: keyOf('refund-payment'), paymentId });
}

/**
 * Sends a payment request; when its outcome is unknown — the call timed out after billing (and the
 * provider) may have acted, or billing kept answering 503 — asks billing what became of the key
 * instead of charging again (article 6). Only when billing never received the key is the request sent
 * again, with the same key.
 */
async function settled(flow: Correlated, idempotencyKey: string, send: () => Promise<Payment>): Promise<Payment> {
  try {
    return await send();
  } catch (error) {
    if (isRefusal(error) || isCancellation(error)) throw error;
    const known = await lookups.findPaymentRequest(idempotencyKey, flow.correlationId);
    switch (known.outcome) {
      case 'succeeded':
        return known.payment;
      case 'failed':
        throw ApplicationFailure.nonRetryable(
          `billing refused ${idempotencyKey}: ${known.detail}`,
          known.status === 402 ? FulfilmentRefusal.paymentDeclined : FulfilmentRefusal.paymentFailed,
        );
      case 'not-received':
        return send();
    }
  }
}

/** The payment a step's request produced, if it succeeded: what a compensation has to undo. */
async function paymentBehind(flow: Correlated, step: 'authorize-payment' | 'capture-payment'): Promise<Payment | undefined> {
  const known = await lookups.findPaymentRequest(keyOf(step), flow.correlationId);
  return known.outcome === 'succeeded' ? known.payment : undefined;
}

function isRefusal(error: unknown): boolean {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && (failure.nonRetryable || refusals.includes(failure.type ?? ''));
}

/** Why the order is given up, for `orders.order.rejected` (at most 500 characters, its schema's limit). */
function reasonOf(error: unknown): string {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  const cause = failure instanceof ApplicationFailure && failure.type ? `${failure.type}: ${failure.message}` : (rootCause(error) ?? String(error));
  return cause.slice(0, 500);
}
