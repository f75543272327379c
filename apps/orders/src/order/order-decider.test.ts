import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORDER_CANCELLED, ORDER_CONFIRMED, ORDER_PAID, ORDER_PLACED, ORDER_REFUNDED, ORDER_REJECTED } from '@faultline/shared/contracts';
import type { Decision } from '@faultline/shared/event-store';
import type { OrderCommand, OrderEvent, OrderRejection, OrderState } from './order.js';
import { orderDecider } from './order-decider.js';

const orderId = '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f';
const customerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';
const placedAt = new Date('2026-11-28T18:00:00.000Z');
const cancelledAt = new Date('2026-11-28T19:00:00.000Z');

const place: Extract<OrderCommand, { kind: 'place-order' }> = {
  kind: 'place-order',
  orderId,
  customerId,
  currency: 'EUR',
  lines: [
    { sku: 'book', quantity: 2, unitPriceMinor: 1_250 },
    { sku: 'pen', quantity: 1, unitPriceMinor: 300 },
  ],
  at: placedAt,
};
const cancel: Extract<OrderCommand, { kind: 'cancel-order' }> = { kind: 'cancel-order', orderId, reason: 'changed my mind', at: cancelledAt };

function events(decision: Decision<OrderEvent, OrderRejection>): readonly OrderEvent[] {
  assert.ok(decision.accepted, `expected the command to be accepted, got ${JSON.stringify(decision)}`);
  return decision.events;
}

function rejection(decision: Decision<OrderEvent, OrderRejection>): OrderRejection {
  assert.ok(!decision.accepted, 'expected the command to be rejected');
  return decision.rejection;
}

const fold = (history: readonly OrderEvent[]): OrderState => history.reduce(orderDecider.evolve, orderDecider.initialState);
const placed = () => fold(events(orderDecider.decide(place, orderDecider.initialState)));

describe('order decider', () => {
  it('places a new order with its lines and a total in minor units, at the time the command carries', () => {
    const [event] = events(orderDecider.decide(place, orderDecider.initialState));
    assert.equal(event?.type, ORDER_PLACED);
    assert.deepEqual(event.payload, {
      orderId,
      customerId,
      lines: place.lines,
      total: { amountMinor: 2_800, currency: 'EUR' },
      placedAt: '2026-11-28T18:00:00.000Z',
    });
  });

  it('refuses to place an order that already exists', () => {
    assert.equal(rejection(orderDecider.decide(place, placed())).code, 'order-already-placed');
  });

  it('cancels a placed order, recording the reason and the time', () => {
    const history = events(orderDecider.decide(cancel, placed()));
    assert.deepEqual(history, [
      { type: ORDER_CANCELLED, payload: { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' } },
    ]);
    const state = orderDecider.evolve(placed(), history[0] ?? assert.fail('no event'));
    assert.equal(state.status, 'cancelled');
  });

  it('refuses to cancel an order that does not exist, naming it', () => {
    const refused = rejection(orderDecider.decide(cancel, orderDecider.initialState));
    assert.equal(refused.code, 'order-not-found');
    assert.match(refused.reason, new RegExp(orderId));
  });

  it('refuses to cancel an order twice, saying when it was cancelled', () => {
    const cancelled = fold([...events(orderDecider.decide(place, orderDecider.initialState)), ...events(orderDecider.decide(cancel, placed()))]);
    const refused = rejection(orderDecider.decide({ ...cancel, at: new Date('2026-11-28T20:00:00.000Z') }, cancelled));
    assert.equal(refused.code, 'order-already-cancelled');
    assert.match(refused.reason, /already cancelled at 2026-11-28T19:00:00.000Z/);
  });

  it('rebuilds the cancelled state, keeping the facts of the placement, from the events alone', () => {
    const state = fold([...events(orderDecider.decide(place, orderDecider.initialState)), ...events(orderDecider.decide(cancel, placed()))]);
    assert.deepEqual(state, {
      status: 'cancelled',
      orderId,
      customerId,
      lines: place.lines,
      total: { amountMinor: 2_800, currency: 'EUR' },
      placedAt: '2026-11-28T18:00:00.000Z',
      cancellation: { reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' },
    });
  });

  it('refuses to fold a cancellation into an order that was never placed, since that stream is corrupt', () => {
    assert.throws(() => fold(events(orderDecider.decide(cancel, placed()))), /cancelled before it was placed/);
  });

  describe('in the fulfilment saga (article 6)', () => {
    const paymentId = '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f';
    const otherPaymentId = '0190f5c4-8a6b-7c3d-9e2f-000000000099';
    const confirm: Extract<OrderCommand, { kind: 'confirm-order' }> = {
      kind: 'confirm-order',
      orderId,
      paymentId,
      at: new Date('2026-11-28T18:00:02.000Z'),
    };
    const markPaid: Extract<OrderCommand, { kind: 'mark-order-paid' }> = {
      kind: 'mark-order-paid',
      orderId,
      paymentId,
      at: new Date('2026-11-28T18:00:03.000Z'),
    };
    const rejectOrder: Extract<OrderCommand, { kind: 'reject-order' }> = {
      kind: 'reject-order',
      orderId,
      reason: 'payment declined',
      at: new Date('2026-11-28T18:00:02.000Z'),
    };
    const recordRefund: Extract<OrderCommand, { kind: 'record-refund' }> = {
      kind: 'record-refund',
      orderId,
      paymentId,
      at: new Date('2026-11-28T19:05:00.000Z'),
    };
    /** Applies commands in turn to a placed order, failing on the first refusal. */
    const run = (...commands: OrderCommand[]): OrderState =>
      commands.reduce((state, command) => events(orderDecider.decide(command, state)).reduce(orderDecider.evolve, state), placed());

    it('confirms a placed order with the payment that was authorized for it', () => {
      assert.deepEqual(events(orderDecider.decide(confirm, placed())), [
        { type: ORDER_CONFIRMED, payload: { orderId, paymentId, confirmedAt: '2026-11-28T18:00:02.000Z' } },
      ]);
      const state = run(confirm);
      assert.ok(state.status === 'confirmed');
      assert.deepEqual(state.payment, { paymentId, confirmedAt: '2026-11-28T18:00:02.000Z' });
    });

    it('refuses to confirm a cancelled order, so the saga voids the payment instead', () => {
      const refused = rejection(orderDecider.decide(confirm, run(cancel)));
      assert.equal(refused.code, 'order-not-confirmable');
      assert.match(refused.reason, /is cancelled; only a placed order can be confirmed/);
    });

    it('accepts a repeated confirmation with the same payment and records nothing, but refuses one with another payment', () => {
      assert.deepEqual(events(orderDecider.decide(confirm, run(confirm))), []);
      assert.equal(rejection(orderDecider.decide({ ...confirm, paymentId: otherPaymentId }, run(confirm))).code, 'order-not-confirmable');
    });

    it('marks a confirmed order paid, keeping the payment it was confirmed with', () => {
      assert.deepEqual(events(orderDecider.decide(markPaid, run(confirm))), [
        { type: ORDER_PAID, payload: { orderId, paymentId, paidAt: '2026-11-28T18:00:03.000Z' } },
      ]);
      const state = run(confirm, markPaid);
      assert.ok(state.status === 'paid');
      assert.deepEqual(state.payment, { paymentId, confirmedAt: '2026-11-28T18:00:02.000Z', paidAt: '2026-11-28T18:00:03.000Z' });
      assert.deepEqual(events(orderDecider.decide(markPaid, state)), [], 'a repeated mark-paid records nothing');
    });

    it('refuses to mark paid an order that is only placed, or confirmed with another payment', () => {
      assert.equal(rejection(orderDecider.decide(markPaid, placed())).code, 'order-not-confirmed');
      const refused = rejection(orderDecider.decide({ ...markPaid, paymentId: otherPaymentId }, run(confirm)));
      assert.equal(refused.code, 'order-not-confirmed');
      assert.match(refused.reason, new RegExp(otherPaymentId));
    });

    it('rejects a placed order, and a confirmed one whose payment could not be captured', () => {
      assert.deepEqual(events(orderDecider.decide(rejectOrder, placed())), [
        { type: ORDER_REJECTED, payload: { orderId, reason: 'payment declined', rejectedAt: '2026-11-28T18:00:02.000Z' } },
      ]);
      const state = run(confirm, { ...rejectOrder, reason: 'capture failed' });
      assert.ok(state.status === 'rejected');
      assert.deepEqual(state.rejection, { reason: 'capture failed', rejectedAt: '2026-11-28T18:00:02.000Z' });
    });

    it('lets a compensating rejection of an order that already ended unpaid finish with nothing to record', () => {
      assert.deepEqual(events(orderDecider.decide(rejectOrder, run(rejectOrder))), []);
      assert.deepEqual(events(orderDecider.decide(rejectOrder, run(cancel))), []);
    });

    it('refuses to reject a paid order, and to cancel a rejected one', () => {
      const paid = run(confirm, markPaid);
      assert.equal(rejection(orderDecider.decide(rejectOrder, paid)).code, 'order-already-paid');
      assert.equal(rejection(orderDecider.decide(cancel, run(rejectOrder))).code, 'order-already-rejected');
    });

    it('cancels a confirmed order that is not yet paid with no refund due: the saga refunds or voids its payment itself', () => {
      const state = run(confirm, cancel);
      assert.ok(state.status === 'cancelled');
      assert.equal(state.refundDue, undefined);
      assert.equal(rejection(orderDecider.decide(markPaid, state)).code, 'order-not-confirmed');
    });

    it('refuses every saga step on an order that does not exist', () => {
      for (const command of [confirm, markPaid, rejectOrder, recordRefund]) {
        assert.equal(rejection(orderDecider.decide(command, orderDecider.initialState)).code, 'order-not-found');
      }
    });

    describe('cancelled after payment: refunded once (article 6)', () => {
      it('cancels a paid order like any other, and remembers its captured payment as a refund due in full', () => {
        const paid = run(confirm, markPaid);
        assert.deepEqual(events(orderDecider.decide(cancel, paid)), [
          { type: ORDER_CANCELLED, payload: { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' } },
        ]);
        const state = run(confirm, markPaid, cancel);
        assert.ok(state.status === 'cancelled');
        assert.deepEqual(state.cancellation, { reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' });
        assert.deepEqual(state.refundDue, { paymentId, amount: { amountMinor: 2_800, currency: 'EUR' } });
      });

      it('records the refund of the payment due, with its amount, and moves the order to refunded', () => {
        const cancelled = run(confirm, markPaid, cancel);
        assert.deepEqual(events(orderDecider.decide(recordRefund, cancelled)), [
          {
            type: ORDER_REFUNDED,
            payload: { orderId, paymentId, amount: { amountMinor: 2_800, currency: 'EUR' }, refundedAt: '2026-11-28T19:05:00.000Z' },
          },
        ]);
        const state = run(confirm, markPaid, cancel, recordRefund);
        assert.ok(state.status === 'refunded');
        assert.deepEqual(state.refund, { paymentId, amount: { amountMinor: 2_800, currency: 'EUR' }, refundedAt: '2026-11-28T19:05:00.000Z' });
        assert.deepEqual(state.cancellation, { reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' });
      });

      it('accepts a retried refund step with nothing to record, but refuses a refund of another payment', () => {
        const refunded = run(confirm, markPaid, cancel, recordRefund);
        assert.deepEqual(events(orderDecider.decide({ ...recordRefund, at: new Date('2026-11-28T19:06:00.000Z') }, refunded)), []);
        const refused = rejection(orderDecider.decide({ ...recordRefund, paymentId: otherPaymentId }, refunded));
        assert.equal(refused.code, 'order-not-refundable');
        assert.match(refused.reason, /is refunded; only a cancelled order whose payment .* was captured can be refunded/);
        assert.equal(rejection(orderDecider.decide({ ...recordRefund, paymentId: otherPaymentId }, run(confirm, markPaid, cancel))).code, 'order-not-refundable');
      });

      it('refuses to refund an order that was never paid: placed, confirmed, paid but not cancelled, or cancelled unpaid', () => {
        for (const state of [placed(), run(confirm), run(confirm, markPaid), run(cancel), run(confirm, cancel), run(rejectOrder)]) {
          const refused = rejection(orderDecider.decide(recordRefund, state));
          assert.equal(refused.code, 'order-not-refundable', `refund of a ${state.status} order`);
        }
      });

      it('refuses to cancel a refunded order, saying when it was cancelled', () => {
        const refused = rejection(orderDecider.decide(cancel, run(confirm, markPaid, cancel, recordRefund)));
        assert.equal(refused.code, 'order-already-cancelled');
        assert.match(refused.reason, /already cancelled at 2026-11-28T19:00:00.000Z/);
        assert.equal(rejection(orderDecider.decide(cancel, run(confirm, markPaid, cancel))).code, 'order-already-cancelled');
      });

      it('takes the saga steps retried after the order moved on as done: confirm, mark paid and reject record nothing', () => {
        for (const state of [run(confirm, markPaid, cancel), run(confirm, markPaid, cancel, recordRefund)]) {
          assert.deepEqual(events(orderDecider.decide(confirm, state)), [], `confirm of a ${state.status} order`);
          assert.deepEqual(events(orderDecider.decide(markPaid, state)), [], `mark paid of a ${state.status} order`);
          assert.deepEqual(events(orderDecider.decide(rejectOrder, state)), [], `reject of a ${state.status} order`);
        }
      });

      it('refuses to fold a refund into an order with no refund due, since that stream is corrupt', () => {
        const [refundedEvent] = events(orderDecider.decide(recordRefund, run(confirm, markPaid, cancel)));
        assert.ok(refundedEvent);
        assert.throws(() => orderDecider.evolve(run(confirm, cancel), refundedEvent), /refunded while cancelled with no refund due/);
      });
    });
  });
});
