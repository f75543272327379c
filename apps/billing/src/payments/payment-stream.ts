import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BILLING_PAYMENT_EVENTS_TOPIC, PAYMENT_AGGREGATE, type PaymentEventOperation } from '@faultline/shared/contracts';
import { Outbox } from '@faultline/shared/outbox';
import type { ProblemDetails } from '@faultline/shared/problem-details';
import type { Origin } from '@faultline/shared/service-defaults';
import { refusalEvent, statusEvent, type EncodedPaymentEvent, type PaymentFacts } from './payment-events.js';
import type { PaymentStatus } from './payment-lifecycle.js';
import { PaymentLedger } from './payment-ledger.js';
import { Payment } from './payment.entity.js';

/**
 * A payment's changes and their events, written together (articles 4 and 6): each method changes the
 * ledger row and appends the change's event to the outbox in the caller's transaction, so the row
 * and what gets published commit or roll back as one. The row's `version` is the payment's sequence:
 * bumped with every event, so its events carry 1, 2, 3… with no gaps, and the outbox's
 * `UNIQUE (aggregate_type, aggregate_id, sequence)` refuses a second event for one version.
 */
@Injectable()
export class PaymentStream {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly outbox: Outbox,
  ) {}

  /** Records a new authorized payment (version 1) and appends `billing.payment.authorized`. */
  async open(transaction: EntityManager, payment: Payment, origin: Origin): Promise<Payment> {
    const opened = Object.assign(new Payment(), payment, { version: 1 });
    await this.ledger.record(transaction, opened);
    await this.append(transaction, opened.paymentId, opened.version, statusEvent(opened, opened.status, opened.createdAt), origin);
    return opened;
  }

  /** Moves a payment locked by `transaction` to `status` and appends the event that says so. */
  async change(transaction: EntityManager, payment: Payment, status: PaymentStatus, at: Date, origin: Origin): Promise<Payment> {
    const changed = await this.ledger.changeStatus(transaction, payment, status, at);
    await this.append(transaction, changed.paymentId, changed.version, statusEvent(changed, status, at), origin);
    return changed;
  }

  /**
   * The provider refused a change of a payment locked by `transaction`: its status stays, its
   * version moves on to the `billing.payment.failed` event.
   */
  async refuseChange(
    transaction: EntityManager,
    payment: Payment,
    operation: PaymentEventOperation,
    problem: ProblemDetails,
    at: Date,
    origin: Origin,
  ): Promise<void> {
    const version = await this.ledger.bumpVersion(transaction, payment);
    await this.append(transaction, payment.paymentId, version, refusalEvent(payment, operation, problem, at), origin);
  }

  /**
   * The provider refused an authorization: no payment exists, so the refusal gets a payment id of its
   * own and is that stream's only event, at sequence 1 (ADR 0019). Returns the id.
   */
  async refuseAuthorization(
    transaction: EntityManager,
    request: Omit<PaymentFacts, 'paymentId'>,
    problem: ProblemDetails,
    at: Date,
    origin: Origin,
  ): Promise<string> {
    const paymentId = randomUUID();
    await this.append(transaction, paymentId, 1, refusalEvent({ ...request, paymentId }, 'authorize', problem, at), origin);
    return paymentId;
  }

  private async append(transaction: EntityManager, paymentId: string, sequence: number, event: EncodedPaymentEvent, origin: Origin): Promise<void> {
    await this.outbox.append(transaction, {
      topic: BILLING_PAYMENT_EVENTS_TOPIC,
      ...event,
      aggregateType: PAYMENT_AGGREGATE,
      aggregateId: paymentId,
      sequence,
      correlationId: origin.correlationId,
      causationId: origin.requestId,
    });
  }
}
