import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@faultline/shared/database';
import type { PaymentStatus } from './payment-lifecycle.js';

/** Billing's ledger entry for one charge at the provider; its status follows the provider's answers. */
@Entity({ name: 'payments' })
export class Payment {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** In the currency's minor unit (cents, yen, fils). */
  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  status!: PaymentStatus;

  @Column({ name: 'provider_authorization_id', type: 'text' })
  providerAuthorizationId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * The sequence of the payment's last event (ADR 0019): 1 once authorized, bumped with every event
   * after it. 0 for a payment recorded before billing published events.
   */
  @Column({ type: 'int' })
  version!: number;
}
