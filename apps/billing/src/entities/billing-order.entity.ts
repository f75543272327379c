import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@faultline/shared/database';

/**
 * Where an order stands, as the orders service's events say: placed → confirmed → paid, placed or
 * confirmed → rejected (the fulfilment saga gave it up), placed or confirmed → cancelled, and
 * paid → cancelled → refunded once the provider gave the payment back.
 */
export const BILLING_ORDER_STATUSES = ['placed', 'confirmed', 'paid', 'rejected', 'cancelled', 'refunded'] as const;
export type BillingOrderStatus = (typeof BILLING_ORDER_STATUSES)[number];

/**
 * The orders billing counts — in the daily reports and in the billing run's invoices — are the live
 * ones: placed, confirmed and paid. A rejected order was never accepted, and a cancelled or refunded
 * one is not owed (a paid order that is cancelled stops counting at once, before its refund).
 */
export const LIVE_ORDER_STATUSES: readonly BillingOrderStatus[] = ['placed', 'confirmed', 'paid'];

/**
 * Billing's own copy of the orders it needs, fed by the orders service's events: billing never reads
 * the orders database (article 8, "duplication by design"). `version` is the sequence of the last
 * order event applied to the row. Each status keeps what its event said (the payment, the instant,
 * the reason); the table's check constraint refuses a row whose status lacks them.
 */
@Entity({ name: 'billing_orders' })
export class BillingOrder {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** In the currency's minor unit (cents, yen, fils), as orders.order.placed v2 states it. */
  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintAsNumber })
  totalMinor!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  status!: BillingOrderStatus;

  @Column({ type: 'int' })
  version!: number;

  /** When the order was placed: the instant that decides its local business day (article 9). */
  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  /** The payment authorized for the order (confirmed), captured (paid) and, after a cancellation, refunded. */
  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true })
  rejectedAt!: Date | null;

  /** Why the fulfilment saga gave the order up, e.g. "PaymentDeclined: …". */
  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** The customer's reason; null on rows cancelled before migration 1765100000000 added the column. */
  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: string | null;

  @Column({ name: 'refunded_at', type: 'timestamptz', nullable: true })
  refundedAt!: Date | null;

  /** The instant of the last event applied. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
