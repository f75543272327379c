import { randomUUID } from 'node:crypto';
import { orderCancelled, orderConfirmed, orderPaid, orderPlaced, orderRefunded, orderRejected } from '../contracts/index.js';
import type { EventContract, EventEnvelope, OrderPlaced } from '../contracts/index.js';
import { buildEnvelope, type EnvelopeFields } from './event-envelopes.js';

/** The producer an order's events name unless a stream is given another: the orders service. */
export const ORDERS_PRODUCER = { name: 'orders', version: '1.0.0' } as const;

export interface OrderEventStreamOptions {
  customerId: string;
  total: { amountMinor: number; currency: string };
  correlationId: string;
  /** The correlationId unless given. */
  causationId?: string;
  producer?: EnvelopeFields['producer'];
  /** A fresh UUID unless the caller needs a known one. */
  orderId?: string;
  /** The payment the confirmed, paid and refunded events name; a fresh UUID unless given. */
  paymentId?: string;
}

/**
 * One order's events as the orders service publishes them, for tests, scenarios and chaos runs that
 * feed a consumer: each call appends the next event of the stream, numbered 1, 2, 3… as the order
 * aggregate numbers them, at the contract's newest schemaVersion. Instants are given by the caller,
 * so a copy's dates and its business day are known exactly. To deliver the stream out of order,
 * build it in order and publish the envelopes in another.
 */
export class OrderEventStream {
  readonly orderId: string;
  readonly paymentId: string;
  private sequence = 0;

  constructor(private readonly options: OrderEventStreamOptions) {
    this.orderId = options.orderId ?? randomUUID();
    this.paymentId = options.paymentId ?? randomUUID();
  }

  /** One line, of the whole total, unless the caller gives the order's lines. */
  placed(placedAt: string, lines: OrderPlaced['lines'] = [{ sku: 'tea', quantity: 1, unitPriceMinor: this.options.total.amountMinor }]) {
    const { customerId, total } = this.options;
    return this.next(orderPlaced, placedAt, { orderId: this.orderId, customerId, lines, total, placedAt });
  }

  confirmed(confirmedAt: string) {
    return this.next(orderConfirmed, confirmedAt, { orderId: this.orderId, paymentId: this.paymentId, confirmedAt });
  }

  paid(paidAt: string) {
    return this.next(orderPaid, paidAt, { orderId: this.orderId, paymentId: this.paymentId, paidAt });
  }

  rejected(rejectedAt: string, reason = 'payment declined') {
    return this.next(orderRejected, rejectedAt, { orderId: this.orderId, reason, rejectedAt });
  }

  cancelled(cancelledAt: string, reason = 'changed my mind') {
    return this.next(orderCancelled, cancelledAt, { orderId: this.orderId, reason, cancelledAt });
  }

  refunded(refundedAt: string) {
    return this.next(orderRefunded, refundedAt, { orderId: this.orderId, paymentId: this.paymentId, amount: this.options.total, refundedAt });
  }

  private next<Payload>(contract: EventContract<Payload>, occurredAt: string, payload: Payload): EventEnvelope<Payload> {
    this.sequence += 1;
    const { correlationId, causationId = correlationId, producer = { ...ORDERS_PRODUCER } } = this.options;
    return buildEnvelope(contract, payload, { aggregateId: this.orderId, sequence: this.sequence, occurredAt, correlationId, causationId, producer });
  }
}
