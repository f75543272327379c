import type { ORDER_CANCELLED, ORDER_PLACED, OrderCancelled, OrderPlaced } from '@faultline/shared/contracts';
import type { DomainEvent } from '@faultline/shared/event-store';

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

/**
 * The order's state, one member per status, so each status carries exactly the facts it has. The
 * fulfilment saga's statuses (`confirmed`, `rejected`, `paid`) are added here as members, with the
 * events that lead to them.
 */
export type OrderState =
  | { status: 'none' }
  | (OrderFacts & { status: 'placed' })
  | (OrderFacts & { status: 'cancelled'; cancellation: { reason: string; cancelledAt: string } });

export type OrderStatus = Exclude<OrderState['status'], 'none'>;

/** What a caller asks of an order. `at` is the clock's time, passed in so the decider stays pure. */
export type OrderCommand =
  | { kind: 'place-order'; orderId: string; customerId: string; currency: string; lines: OrderLine[]; at: Date }
  | { kind: 'cancel-order'; orderId: string; reason: string; at: Date };

export type OrderEvent = DomainEvent<typeof ORDER_PLACED, OrderPlaced> | DomainEvent<typeof ORDER_CANCELLED, OrderCancelled>;

/** Why a command is refused; `code` is also the problem type's last segment. */
export interface OrderRejection {
  code: 'order-not-found' | 'order-already-placed' | 'order-already-cancelled';
  reason: string;
}
