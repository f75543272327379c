import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@faultline/shared/database';
import type { OrderStatus } from '../order/order.js';

/**
 * The order's current state as a row, written by `OrderStream.commit` in the same transaction as its
 * events: for people and tools that `SELECT` (the demo). The event stream is the source of truth;
 * `GET /orders/:id` rebuilds from it.
 */
@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'text' })
  status!: OrderStatus;

  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintAsNumber })
  totalCents!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** The order's version: the sequence of its latest event, returned to clients as a consistency token. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;
}
