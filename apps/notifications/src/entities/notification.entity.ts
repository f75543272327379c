import { Column, Entity, PrimaryColumn } from 'typeorm';

export type NotificationChannel = 'email';
/**
 * `due`: waiting in the delivery outbox (the sender sends it at `nextAttemptAt`); `sent`: the SMTP
 * server accepted it; `failed`: the SMTP server refused it for good (a 5xx reply), or it was recorded
 * before e-mail content was kept; `no-address`: the customer had no contact preferences when it
 * was due, so there was nowhere to send it.
 */
export type NotificationStatus = 'due' | 'sent' | 'failed' | 'no-address';

/** The e-mails notifications sends; each has a template in email-templates/. */
export const EMAIL_KINDS = ['order-placed', 'order-rejected', 'order-cancelled', 'order-refunded', 'payment-receipt'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** A message to send a customer about an order: one row of the delivery outbox. */
@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  /** The customer it is for, from the order's events: the only caller who may list it. Null on rows recorded before it was kept. */
  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  /** The event it tells about: one notification per event (unique), and the e-mail's Message-ID. */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  @Column({ type: 'text' })
  kind!: EmailKind;

  @Column({ type: 'text' })
  channel!: NotificationChannel;

  @Column({ type: 'text' })
  status!: NotificationStatus;

  /** What the template renders, taken from the event when it was recorded. Null on rows recorded before it was kept. */
  @Column({ type: 'jsonb', nullable: true })
  content!: object | null;

  /** The address it was sent to, from the preferences at the time it was sent. */
  @Column({ type: 'text', nullable: true })
  recipient!: string | null;

  /** The earliest instant it may go out: the event's instant, or the end of the customer's quiet hours. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** When the sender tries next (later than `dueAt` after a failed attempt); null once it is no longer due. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** SMTP conversations tried for it (delivery_attempts keeps each one). */
  @Column({ name: 'attempt_count', type: 'int', default: 0 })
  attemptCount!: number;

  /**
   * The W3C traceparent of the context that recorded it (the consumed event's span), so the sender's
   * spans for it join the order's trace. Null when nothing was traced.
   */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
