import { orderCancelled, orderConfirmed, orderPaid, orderPlaced, orderRefunded, orderRejected } from '@faultline/shared/contracts';
import type { Decider, Decision, DomainEvent } from '@faultline/shared/event-store';
import type { DueRefund, OrderCommand, OrderEvent, OrderFacts, OrderRejection, OrderState } from './order.js';

const initialState: OrderState = { status: 'none' };

/** Accepted with nothing to record: the command's effect is already in the stream. */
const alreadyDone: Decision<OrderEvent, OrderRejection> = { accepted: true, events: [] };

const reject = (code: OrderRejection['code'], reason: string): Decision<OrderEvent, OrderRejection> => ({
  accepted: false,
  rejection: { code, reason },
});

function decide(command: OrderCommand, state: OrderState): Decision<OrderEvent, OrderRejection> {
  switch (command.kind) {
    case 'place-order': {
      if (state.status !== 'none') return reject('order-already-placed', `Order ${command.orderId} already exists.`);
      const amountMinor = command.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
      return {
        accepted: true,
        events: [
          {
            type: orderPlaced.type,
            payload: {
              orderId: command.orderId,
              customerId: command.customerId,
              lines: command.lines,
              total: { amountMinor, currency: command.currency },
              placedAt: command.at.toISOString(),
            },
          },
        ],
      };
    }
    case 'cancel-order': {
      if (state.status === 'none') return reject('order-not-found', `There is no order with id ${command.orderId}.`);
      if (state.status === 'cancelled' || state.status === 'refunded') {
        return reject('order-already-cancelled', `Order ${command.orderId} was already cancelled at ${state.cancellation.cancelledAt}.`);
      }
      if (state.status === 'rejected') {
        return reject('order-already-rejected', `Order ${command.orderId} was already rejected at ${state.rejection.rejectedAt}.`);
      }
      // A paid order is cancelled too: evolve keeps its captured payment as a refund due, which the
      // OrderRefund workflow gives back (article 6).
      return {
        accepted: true,
        events: [
          {
            type: orderCancelled.type,
            payload: { orderId: command.orderId, reason: command.reason, cancelledAt: command.at.toISOString() },
          },
        ],
      };
    }
    // The fulfilment saga's steps (article 6). Each is idempotent: a step the saga retries after its
    // effect was committed (the activity's completion was lost) is accepted with nothing to record.
    case 'confirm-order': {
      if (state.status === 'none') return reject('order-not-found', `There is no order with id ${command.orderId}.`);
      if (paymentOf(state) === command.paymentId) return alreadyDone;
      if (state.status !== 'placed') {
        // Typically cancelled while the payment was being authorized: the saga voids the payment.
        return reject('order-not-confirmable', `Order ${command.orderId} is ${state.status}; only a placed order can be confirmed.`);
      }
      return {
        accepted: true,
        events: [
          {
            type: orderConfirmed.type,
            payload: { orderId: command.orderId, paymentId: command.paymentId, confirmedAt: command.at.toISOString() },
          },
        ],
      };
    }
    case 'reject-order': {
      if (state.status === 'none') return reject('order-not-found', `There is no order with id ${command.orderId}.`);
      // A compensation must be able to finish: an order that already ended unpaid needs nothing more.
      if (state.status === 'rejected' || state.status === 'cancelled' || state.status === 'refunded') return alreadyDone;
      if (state.status === 'paid') return reject('order-already-paid', `Order ${command.orderId} was already paid at ${state.payment.paidAt}.`);
      return {
        accepted: true,
        events: [
          {
            type: orderRejected.type,
            payload: { orderId: command.orderId, reason: command.reason, rejectedAt: command.at.toISOString() },
          },
        ],
      };
    }
    case 'mark-order-paid': {
      if (state.status === 'none') return reject('order-not-found', `There is no order with id ${command.orderId}.`);
      // Paid, or cancelled or refunded since: the payment was captured with this id, the step is done.
      if (state.status !== 'confirmed' && paymentOf(state) === command.paymentId) return alreadyDone;
      if (state.status !== 'confirmed' || state.payment.paymentId !== command.paymentId) {
        return reject(
          'order-not-confirmed',
          `Order ${command.orderId} is ${state.status}; only an order confirmed with payment ${command.paymentId} can be marked paid with it.`,
        );
      }
      return {
        accepted: true,
        events: [
          {
            type: orderPaid.type,
            payload: { orderId: command.orderId, paymentId: command.paymentId, paidAt: command.at.toISOString() },
          },
        ],
      };
    }
    // The OrderRefund workflow's last step: the provider gave the cancelled order's payment back.
    case 'record-refund': {
      if (state.status === 'none') return reject('order-not-found', `There is no order with id ${command.orderId}.`);
      if (state.status === 'refunded' && state.refund.paymentId === command.paymentId) return alreadyDone;
      if (state.status !== 'cancelled' || state.refundDue?.paymentId !== command.paymentId) {
        return reject(
          'order-not-refundable',
          `Order ${command.orderId} is ${state.status}; only a cancelled order whose payment ${command.paymentId} was captured can be refunded with it.`,
        );
      }
      const { paymentId, amount } = state.refundDue;
      return {
        accepted: true,
        events: [{ type: orderRefunded.type, payload: { orderId: command.orderId, paymentId, amount, refundedAt: command.at.toISOString() } }],
      };
    }
  }
}

/**
 * The payment the order holds: the one it was confirmed with, while confirmed or paid, and still after
 * a paid order was cancelled or refunded. None before confirmation, nor once an unpaid order ended.
 */
function paymentOf(state: OrderState): string | undefined {
  switch (state.status) {
    case 'confirmed':
    case 'paid':
      return state.payment.paymentId;
    case 'cancelled':
      return state.refundDue?.paymentId;
    case 'refunded':
      return state.refund.paymentId;
    default:
      return undefined;
  }
}

function evolve(state: OrderState, event: DomainEvent): OrderState {
  if (orderPlaced.matches(event)) {
    const { orderId, customerId, lines, total, placedAt } = event.payload;
    return { status: 'placed', orderId, customerId, lines, total, placedAt };
  }
  if (orderCancelled.matches(event)) {
    // The decider never emits this; a stream that has it is corrupt, and folding on would hide that.
    if (state.status === 'none') throw new Error(`Order ${event.payload.orderId} was cancelled before it was placed`);
    const { reason, cancelledAt } = event.payload;
    const cancelled = { ...facts(state), status: 'cancelled' as const, cancellation: { reason, cancelledAt } };
    if (state.status !== 'paid') return cancelled;
    const refundDue: DueRefund = { paymentId: state.payment.paymentId, amount: state.total };
    return { ...cancelled, refundDue };
  }
  if (orderConfirmed.matches(event)) {
    if (state.status !== 'placed') throw new Error(`Order ${event.payload.orderId} was confirmed while ${state.status}`);
    const { paymentId, confirmedAt } = event.payload;
    return { ...facts(state), status: 'confirmed', payment: { paymentId, confirmedAt } };
  }
  if (orderRejected.matches(event)) {
    if (state.status === 'none') throw new Error(`Order ${event.payload.orderId} was rejected before it was placed`);
    const { reason, rejectedAt } = event.payload;
    return { ...facts(state), status: 'rejected', rejection: { reason, rejectedAt } };
  }
  if (orderPaid.matches(event)) {
    if (state.status !== 'confirmed') throw new Error(`Order ${event.payload.orderId} was paid while ${state.status}`);
    return { ...facts(state), status: 'paid', payment: { ...state.payment, paidAt: event.payload.paidAt } };
  }
  if (orderRefunded.matches(event)) {
    if (state.status !== 'cancelled' || state.refundDue === undefined) {
      throw new Error(`Order ${event.payload.orderId} was refunded while ${state.status} with no refund due`);
    }
    const { paymentId, amount, refundedAt } = event.payload;
    return { ...facts(state), status: 'refunded', cancellation: state.cancellation, refund: { paymentId, amount, refundedAt } };
  }
  return state;
}

/** The facts every existing order keeps, whatever it moves to next. */
function facts({ orderId, customerId, lines, total, placedAt }: OrderFacts): OrderFacts {
  return { orderId, customerId, lines, total, placedAt };
}

/** The order aggregate's rules: which commands are allowed in which state, and what they record. */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState, OrderRejection> = { initialState, decide, evolve };
