import { randomUUID } from 'node:crypto';
import {
  ORDER_AGGREGATE,
  ORDER_CANCELLED,
  ORDER_CONFIRMED,
  ORDER_PAID,
  ORDER_PLACED,
  ORDER_REFUNDED,
  ORDER_REJECTED,
  type EventEnvelope,
} from '@faultline/shared/contracts';

/**
 * One order's events as the orders service publishes them, for tests that feed billing's consumer:
 * each call appends the next event of the stream, numbered 1, 2, 3… as the order aggregate numbers
 * them. Instants are given by the test, so a copy's dates and its business day are known exactly.
 */
export class OrderStream {
  readonly orderId = randomUUID();
  readonly paymentId = randomUUID();
  private sequence = 0;

  constructor(
    private readonly customerId: string,
    private readonly total: { amountMinor: number; currency: string },
    private readonly source: string,
  ) {}

  placed(placedAt: string): EventEnvelope {
    return this.next(ORDER_PLACED, 2, placedAt, {
      orderId: this.orderId,
      customerId: this.customerId,
      lines: [{ sku: 'tea', quantity: 1, unitPriceMinor: this.total.amountMinor }],
      total: this.total,
      placedAt,
    });
  }

  confirmed(confirmedAt: string): EventEnvelope {
    return this.next(ORDER_CONFIRMED, 1, confirmedAt, { orderId: this.orderId, paymentId: this.paymentId, confirmedAt });
  }

  paid(paidAt: string): EventEnvelope {
    return this.next(ORDER_PAID, 1, paidAt, { orderId: this.orderId, paymentId: this.paymentId, paidAt });
  }

  rejected(rejectedAt: string, reason = 'payment declined'): EventEnvelope {
    return this.next(ORDER_REJECTED, 1, rejectedAt, { orderId: this.orderId, reason, rejectedAt });
  }

  cancelled(cancelledAt: string, reason = 'changed my mind'): EventEnvelope {
    return this.next(ORDER_CANCELLED, 1, cancelledAt, { orderId: this.orderId, reason, cancelledAt });
  }

  refunded(refundedAt: string): EventEnvelope {
    return this.next(ORDER_REFUNDED, 1, refundedAt, { orderId: this.orderId, paymentId: this.paymentId, amount: this.total, refundedAt });
  }

  private next(type: string, schemaVersion: number, occurredAt: string, payload: object): EventEnvelope {
    this.sequence += 1;
    return {
      eventId: randomUUID(),
      type,
      schemaVersion,
      aggregateType: ORDER_AGGREGATE,
      aggregateId: this.orderId,
      sequence: this.sequence,
      occurredAt,
      correlationId: `test-${this.source}`,
      causationId: `test-${this.source}`,
      producer: { name: 'orders', version: '1.0.0' },
      payload,
    };
  }
}
