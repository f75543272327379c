import { ORDER_CANCELLED, ORDER_PLACED, orderCancelled, orderPlaced } from '@faultline/shared/contracts';
import type { Decider, Decision, DomainEvent } from '@faultline/shared/event-store';
import type { OrderCommand, OrderEvent, OrderRejection, OrderState } from './order.js';

const initialState: OrderState = { status: 'none' };

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
            type: ORDER_PLACED,
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
      if (state.status === 'cancelled') {
        return reject('order-already-cancelled', `Order ${command.orderId} was already cancelled at ${state.cancellation.cancelledAt}.`);
      }
      return {
        accepted: true,
        events: [
          {
            type: ORDER_CANCELLED,
            payload: { orderId: command.orderId, reason: command.reason, cancelledAt: command.at.toISOString() },
          },
        ],
      };
    }
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
    return { ...state, status: 'cancelled', cancellation: { reason, cancelledAt } };
  }
  return state;
}

/** The order aggregate's rules: which commands are allowed in which state, and what they record. */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState, OrderRejection> = { initialState, decide, evolve };
