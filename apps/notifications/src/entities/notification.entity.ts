import { Column, Entity, PrimaryColumn } from 'typeorm';

export type NotificationChannel = 'email';
/** `due`: recorded and waiting for delivery (quiet hours and sending come later). */
export type NotificationStatus = 'due' | 'sent' | 'failed';

/** A message to send a customer about an order, due at an instant (quiet hours are applied later). */
@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  /** The customer it is for, from the order's event: the only caller who may list it. Null on rows recorded before it was kept. */
  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ type: 'text' })
  channel!: NotificationChannel;

  @Column({ type: 'text' })
  status!: NotificationStatus;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
