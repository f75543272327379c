// What the OrderRefund workflow asks of the outside world. Workflow code imports this file, so it
// stays free of Node, I/O and the clock: types and constants only.
import type { Correlated, OrderFulfilmentActivities } from '../order-fulfilment/order-fulfilment-activity-interface.js';

/** The workflow's input: the cancelled order, the captured payment it owes back (its refund due), and the cancellation's correlationId. */
export interface OrderRefundInput extends Correlated {
  orderId: string;
  paymentId: string;
}

export interface OrderRefundResult {
  orderId: string;
  paymentId: string;
  status: 'refunded';
}

/** Billing's refund and the order's own step: the same activities the orders worker runs for fulfilment. */
export type OrderRefundActivities = Pick<OrderFulfilmentActivities, 'refundPayment' | 'recordRefund'>;

/**
 * The Idempotency-Key of the refund of an order's payment, from the order id alone: every attempt and
 * every replay of the workflow sends the same one, so billing — and, through the key it derives, the
 * provider — refunds once (article 6). It is the key the fulfilment saga's compensation uses for the
 * same refund (`order-<orderId>:refund-payment`), so whichever of the two asks, billing sees one request.
 */
export const refundIdempotencyKey = (orderId: string): string => `order-${orderId}:refund-payment`;
