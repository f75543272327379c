import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@faultline/shared/database';

export type BillingOrderStatus = 'placed' | 'cancelled';

/**
 * Billing's own copy of the orders it needs, fed by the orders service's events: billing never reads
 * the orders database (article 8, "duplication by design"). `version` is the sequence of the last
 * order event applied to the row.
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

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
