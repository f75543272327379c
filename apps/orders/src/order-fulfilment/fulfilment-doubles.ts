import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { orderDecider } from '../order/order-decider.js';
import type { OrderCommand, OrderState } from '../order/order.js';
import { FulfilmentRefusal, type Correlated, type OrderFulfilmentActivities, type Payment, type PaymentRequestOutcome } from './order-fulfilment-activity-interface.js';

type PaymentOperation = 'authorize' | 'capture' | 'void' | 'refund';

/**
 * Test doubles for the workflow's logic (a unit test of the saga, not of billing): billing as a
 * ledger of idempotency keys that replays a key's stored answer, and the order as the real decider
 * folded in memory. Switches make billing decline, refuse, or commit and then never answer.
 */
export class FulfilmentDoubles {
  readonly payments = new Map<string, Payment>();
  readonly requests = new Map<string, PaymentRequestOutcome>();
  /** Every call the workflow made, in order, e.g. `authorize`, `lookup`, `confirm`. */
  readonly calls: string[] = [];
  /** The correlationId each of those calls carried, in the same order. */
  readonly flows: (string | undefined)[] = [];
  order: OrderState = orderDecider.initialState;
  declineAuthorizations = false;
  refuseCaptures = false;
  /** Operations whose effect commits but whose answer never arrives, on every attempt (article 6). */
  readonly answerNever = new Set<PaymentOperation>();
  /** Called when a call starts hanging; the time-skipping test moves the server's clock past its timeout. */
  onHang: () => Promise<void> = async () => undefined;
  private releaseHung: () => void = () => undefined;
  private readonly hung = new Promise<void>((resolve) => (this.releaseHung = resolve));

  readonly orderId: string;

  constructor(placed: { orderId: string; customerId: string; amountMinor: number; currency: string }) {
    this.orderId = placed.orderId;
    this.apply({
      kind: 'place-order',
      orderId: placed.orderId,
      customerId: placed.customerId,
      currency: placed.currency,
      lines: [{ sku: 'book', quantity: 1, unitPriceMinor: placed.amountMinor }],
      at: new Date('2026-11-28T18:00:00.000Z'),
    });
  }

  /** Lets every call that never answered return at last (its answer arrives too late to matter). */
  release(): void {
    this.releaseHung();
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }

  apply(command: OrderCommand): void {
    const decision = orderDecider.decide(command, this.order);
    if (!decision.accepted) throw ApplicationFailure.nonRetryable(decision.rejection.reason, FulfilmentRefusal.orderStepRefused);
    this.order = decision.events.reduce(orderDecider.evolve, this.order);
  }

  activities(): OrderFulfilmentActivities {
    const at = new Date('2026-11-28T18:00:01.000Z');
    return {
      authorizePayment: (request) =>
        this.keyed('authorize', request, () => {
          if (this.declineAuthorizations) return { status: 402, detail: 'card declined' };
          const payment: Payment = { paymentId: randomUUID(), status: 'authorized', amountMinor: request.amountMinor, currency: request.currency };
          return payment;
        }),
      capturePayment: (request) =>
        this.keyed('capture', request, () => (this.refuseCaptures ? { status: 409, detail: 'authorization expired' } : this.move(request.paymentId, 'captured'))),
      voidPayment: (request) => this.keyed('void', request, () => this.move(request.paymentId, 'voided')),
      refundPayment: (request) => this.keyed('refund', request, () => this.move(request.paymentId, 'refunded')),
      findPaymentRequest: async (key, correlationId) => {
        this.called('lookup', correlationId);
        return this.requests.get(key) ?? { outcome: 'not-received' };
      },
      confirmOrder: async ({ orderId, paymentId, correlationId }) => {
        this.called('confirm', correlationId);
        this.apply({ kind: 'confirm-order', orderId, paymentId, at });
      },
      rejectOrder: async ({ orderId, reason, correlationId }) => {
        this.called('reject', correlationId);
        this.apply({ kind: 'reject-order', orderId, reason, at });
      },
      markOrderPaid: async ({ orderId, paymentId, correlationId }) => {
        this.called('paid', correlationId);
        this.apply({ kind: 'mark-order-paid', orderId, paymentId, at });
      },
      recordRefund: async ({ orderId, paymentId, correlationId }) => {
        this.called('refunded', correlationId);
        this.apply({ kind: 'record-refund', orderId, paymentId, at });
      },
    };
  }

  private called(call: string, correlationId: string | undefined): void {
    this.calls.push(call);
    this.flows.push(correlationId);
  }

  private move(paymentId: string, status: Payment['status']): Payment | { status: number; detail: string } {
    const payment = this.payments.get(paymentId);
    if (payment === undefined) return { status: 404, detail: `no payment ${paymentId}` };
    return { ...payment, status };
  }

  /** Billing's idempotency: a known key gets its stored answer; a new one is decided and stored. */
  private async keyed(
    operation: PaymentOperation,
    { idempotencyKey: key, correlationId }: Correlated & { idempotencyKey: string },
    decide: () => Payment | { status: number; detail: string },
  ): Promise<Payment> {
    this.called(operation, correlationId);
    let known = this.requests.get(key);
    if (known === undefined) {
      const decided = decide();
      if ('paymentId' in decided) {
        this.payments.set(decided.paymentId, decided);
        known = { outcome: 'succeeded', payment: decided };
      } else {
        known = { outcome: 'failed', ...decided };
      }
      this.requests.set(key, known);
    }
    if (this.answerNever.has(operation)) {
      // Until the worker shuts down (it cancels what is still running) or the test releases it.
      const cancelled = Context.current().cancelled;
      void this.onHang().catch(() => undefined);
      await Promise.race([this.hung, cancelled]);
      throw new Error(`${operation} answered after the caller gave up`);
    }
    if (known.outcome === 'succeeded') return known.payment;
    if (known.outcome === 'failed') {
      throw ApplicationFailure.nonRetryable(known.detail, known.status === 402 ? FulfilmentRefusal.paymentDeclined : FulfilmentRefusal.paymentStateConflict);
    }
    throw new Error(`billing lost ${key}`);
  }
}
