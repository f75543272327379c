// What the OrderFulfilment workflow asks of the outside world. Workflow code imports this file, so it
// stays free of Node, I/O and the clock: types and constants only.

/**
 * The business flow an activity works for: the correlationId of the event that started its workflow,
 * given to the events the activity writes and sent as `x-correlation-id` on its calls. Absent from
 * workflows started, and activities scheduled, before it was passed: the activity then takes the
 * workflow id.
 */
export interface Correlated {
  correlationId?: string;
}

/** The workflow's input: the order's id, who pays, and how much (from `orders.order.placed`), and that event's correlationId. */
export interface OrderFulfilmentInput extends Correlated {
  orderId: string;
  customerId: string;
  amountMinor: number;
  currency: string;
}

export type OrderFulfilmentResult =
  | { orderId: string; status: 'paid'; paymentId: string }
  | { orderId: string; status: 'rejected'; reason: string };

/** Billing's Payment (contract D), as much of it as the saga reads. */
export interface Payment {
  paymentId: string;
  status: 'authorized' | 'captured' | 'voided' | 'refunded';
  amountMinor: number;
  currency: string;
}

/**
 * What billing knows about one idempotency key (`GET /payments/requests/{key}`): how the saga settles
 * a call whose outcome it never heard (article 6). `not-received` means billing never saw the key, so
 * sending the request again with that key cannot charge twice.
 */
export type PaymentRequestOutcome =
  | { outcome: 'succeeded'; payment: Payment }
  | { outcome: 'failed'; status: number; detail: string }
  | { outcome: 'not-received' };

type PaymentChangeRequest = Correlated & { idempotencyKey: string; paymentId: string };
type OrderStepRequest = Correlated & { orderId: string; paymentId: string };

export interface OrderFulfilmentActivities {
  authorizePayment(
    request: Correlated & { idempotencyKey: string; orderId: string; customerId: string; amountMinor: number; currency: string },
  ): Promise<Payment>;
  capturePayment(request: PaymentChangeRequest): Promise<Payment>;
  voidPayment(request: PaymentChangeRequest): Promise<Payment>;
  refundPayment(request: PaymentChangeRequest): Promise<Payment>;
  /** Billing's record of a key; throws a retryable failure while billing's own call is still in flight. */
  findPaymentRequest(idempotencyKey: string, correlationId?: string): Promise<PaymentRequestOutcome>;
  confirmOrder(request: OrderStepRequest): Promise<void>;
  rejectOrder(request: Correlated & { orderId: string; reason: string }): Promise<void>;
  markOrderPaid(request: OrderStepRequest): Promise<void>;
  /** The OrderRefund workflow's last step: the cancelled order's payment was given back. */
  recordRefund(request: OrderStepRequest): Promise<void>;
}

/**
 * ApplicationFailure types the activities throw for a definite "no" — never retried, because asking
 * again gets the same answer: the saga compensates instead.
 */
export const FulfilmentRefusal = {
  /** Billing answered 402: the customer's payment was declined. */
  paymentDeclined: 'PaymentDeclined',
  /** Billing answered 409: the payment is not in a state that allows this (capture a voided one…). */
  paymentStateConflict: 'PaymentStateConflict',
  /** Billing answered 400/404/422: the request itself is wrong — a bug, not a condition to wait out. */
  paymentRequestInvalid: 'PaymentRequestInvalid',
  /** Billing's record of a key says the request failed for good: sending it again replays that failure. */
  paymentFailed: 'PaymentFailed',
  /** The order decider refused the step (e.g. the order was cancelled before it could be confirmed). */
  orderStepRefused: 'OrderStepRefused',
} as const;

/** The retryable failure type of a key billing is still working on. */
export const PAYMENT_REQUEST_IN_FLIGHT = 'PaymentRequestInFlight';
