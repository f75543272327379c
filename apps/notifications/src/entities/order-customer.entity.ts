import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which customer an order belongs to, from its `orders.order.placed`: the later order events name
 * only the order, and the ordering guard applies "placed" first, so the row is there when they come.
 */
@Entity({ name: 'order_customers' })
export class OrderCustomer {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
