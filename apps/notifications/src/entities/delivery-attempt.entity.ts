import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * `sent`: the SMTP server accepted the message; `failed`: the conversation failed or the server
 * refused it; `held`: not tried, because the customer's quiet hours had begun (it waits until they end).
 */
export type DeliveryOutcome = 'sent' | 'failed' | 'held';

/** One try at delivering a notification: when, how it ended, and what the SMTP server said. */
@Entity({ name: 'delivery_attempts' })
export class DeliveryAttempt {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId!: string;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;

  @Column({ type: 'text' })
  outcome!: DeliveryOutcome;

  /** The server's final reply, e.g. `250 Message queued as …`. */
  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  /** Why it failed, or until when it is held. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
