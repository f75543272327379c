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

  async changeStatus(transaction: EntityManager, payment: Payment, status: PaymentStatus, at: Date): Promise<Payment> {
    await transaction.getRepository(Payment).update({ paymentId: payment.paymentId }, { status, updatedAt: at });
    return Object.assign(new Payment(), payment, { status, updatedAt: at });
  }
}
