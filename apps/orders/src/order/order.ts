import type { RecordedEvent, orderEventContracts } from '@faultline/shared/contracts';

export interface OrderLine {
  sku: string;
  quantity: number;
  /** Price of one unit in the currency's minor unit (cents for EUR, yen for JPY). */
  unitPriceMinor: number;
}

/** What every order that exists has, whatever its status. */
export interface OrderFacts {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  total: { amountMinor: number; currency: string };
  placedAt: string;
}

/** The payment the fulfilment saga confirmed the order with (article 6). */
export interface OrderPayment {
  paymentId: string;
  confirmedAt: string;
}

/** The captured payment a cancelled order owes back to its customer, in full (article 6). */
export interface DueRefund {
  paymentId: string;
  amount: { amountMinor: number; currency: string };
}

export interface OrderCancellation {
  reason: string;
  cancelledAt: string;
}

/**
 * The order's state, one member per status, so each status carries exactly the facts it has. The
 * fulfilment saga moves an order placed → confirmed → paid, or to rejected when it gives it up. A
 * customer cancels an order that is not yet paid, or a paid one: that cancellation leaves a refund
 * due (`refundDue`), and the OrderRefund workflow moves the order on to refunded once the provider
 * gave the money back.
 */
export type OrderState =
  | { status: 'none' }
  | (OrderFacts & { status: 'placed' })
  | (OrderFacts & { status: 'confirmed'; payment: OrderPayment })
  | (OrderFacts & { status: 'paid'; payment: OrderPayment & { paidAt: string } })
  | (OrderFacts & { status: 'rejected'; rejection: { reason: string; rejectedAt: string } })
  | (OrderFacts & { status: 'cancelled'; cancellation: OrderCancellation; refundDue?: DueRefund })
  | (OrderFacts & { status: 'refunded'; cancellation: OrderCancellation; refund: DueRefund & { refundedAt: string } });

export type OrderStatus = Exclude<OrderState['status'], 'none'>;

/** What a caller asks of an order. `at` is the clock's time, passed in so the decider stays pure. */
export type OrderCommand =
  | { kind: 'place-order'; orderId: string; customerId: string; currency: string; lines: OrderLine[]; at: Date }
  | { kind: 'cancel-order'; orderId: string; reason: string; at: Date }
  | { kind: 'confirm-order'; orderId: string; paymentId: string; at: Date }
  | { kind: 'reject-order'; orderId: string; reason: string; at: Date }
  | { kind: 'mark-order-paid'; orderId: string; paymentId: string; at: Date }
  | { kind: 'record-refund'; orderId: string; paymentId: string; at: Date };

/** What an order records: one of its event contracts' types with that contract's newest payload. */
export type OrderEvent = RecordedEvent<(typeof orderEventContracts)[number]>;

/** Why a command is refused; `code` is also the problem type's last segment. */
export interface OrderRejection {
  code:
    | 'order-not-found'
    | 'order-already-placed'
    | 'order-already-cancelled'
    | 'order-already-rejected'
    | 'order-already-paid'
    | 'order-not-confirmable'
    | 'order-not-confirmed'
    | 'order-not-refundable';
  reason: string;
}
