import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PaymentStatus } from './payment-lifecycle.js';
import { Payment } from './payment.entity.js';

/** The `payments` table: one row per charge at the provider, its status as the provider last reported it. */
@Injectable()
export class PaymentLedger {
  constructor(private readonly dataSource: DataSource) {}

  find(paymentId: string): Promise<Payment | null> {
    return this.dataSource.getRepository(Payment).findOneBy({ paymentId });
  }

  listForOrder(orderId: string): Promise<Payment[]> {
    return this.dataSource.getRepository(Payment).find({ where: { orderId }, order: { createdAt: 'ASC', paymentId: 'ASC' } });
  }

  /** Reads the payment and locks it until `transaction` ends: changes to one payment go one at a time. */
  lock(transaction: EntityManager, paymentId: string): Promise<Payment | null> {
    return transaction.getRepository(Payment).findOne({ where: { paymentId }, lock: { mode: 'pessimistic_write' } });
  }

  async record(transaction: EntityManager, payment: Payment): Promise<void> {
    await transaction.getRepository(Payment).insert(payment);
  }

  /** Sets the status of a payment locked by `transaction` and bumps its version: its next event's sequence. */
  async changeStatus(transaction: EntityManager, payment: Payment, status: PaymentStatus, at: Date): Promise<Payment> {
    const version = await this.bump(transaction, payment, { status, updatedAt: at });
    return Object.assign(new Payment(), payment, { status, updatedAt: at, version });
  }

  /** Bumps the version of a payment locked by `transaction` for an event that leaves its status as it is. */
  bumpVersion(transaction: EntityManager, payment: Payment): Promise<number> {
    return this.bump(transaction, payment, {});
  }

  private async bump(transaction: EntityManager, payment: Payment, changes: Partial<Pick<Payment, 'status' | 'updatedAt'>>): Promise<number> {
    const result = await transaction
      .createQueryBuilder()
      .update(Payment)
      .set({ ...changes, version: () => 'version + 1' })
      .where('payment_id = :paymentId', { paymentId: payment.paymentId })
      .returning('version')
      .execute();
    const [row] = result.raw as { version: number }[];
    if (row === undefined) throw new Error(`payment ${payment.paymentId} vanished while locked`);
    return row.version;
  }
}
