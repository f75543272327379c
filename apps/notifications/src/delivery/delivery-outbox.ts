import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { activeTraceContext } from '@faultline/shared/messaging';
import { ContactPreferences, DeliveryAttempt, Notification, type DeliveryOutcome, type EmailKind } from '../entities/index.js';
import { quietHoursHold } from './delivery-decision.js';

/** What an event handler records: one e-mail about one event. */
export interface DueEmail {
  eventId: string;
  kind: EmailKind;
  orderId: string;
  customerId: string;
  content: object;
  /** The event's instant: the mail is due then, or when the customer's quiet hours end. */
  occurredAt: string;
}

/**
 * The delivery outbox: the `notifications` rows in status `due`. An event handler records a row in
 * the consumer's transaction (with the inbox entry, so once per event); the NotificationSender claims
 * rows one at a time with `FOR UPDATE SKIP LOCKED`, so two processes never hold the same row, and
 * writes the attempt and the row's new state in the transaction that claimed it.
 */
export class DeliveryOutbox {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records `email` as due. The unique event id makes a second recording of the same event a no-op
   * even if something upstream of the inbox let it through. The customer's quiet hours are applied
   * to the event's instant here; the sender applies them again to its own now. The active trace
   * context (the consumed event's span) is kept with the row, so its sending joins that trace.
   */
  static async record(transaction: EntityManager, email: DueEmail, recordedAt: Date): Promise<void> {
    const preferences = await transaction.findOneBy(ContactPreferences, { customerId: email.customerId });
    const occurredAt = new Date(email.occurredAt);
    const dueAt = quietHoursHold(email.kind, preferences, occurredAt) ?? occurredAt;
    await transaction
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values({
        id: randomUUID(),
        eventId: email.eventId,
        kind: email.kind,
        orderId: email.orderId,
        customerId: email.customerId,
        channel: 'email',
        status: 'due',
        content: email.content,
        dueAt,
        nextAttemptAt: dueAt,
        attemptCount: 0,
        createdAt: recordedAt,
        traceparent: activeTraceContext().traceparent ?? null,
      })
      .orIgnore()
      .execute();
  }

  /**
   * Claims the due row whose next attempt is soonest (and not after `now`) and runs `deliver` with
   * it in the claiming transaction: the row stays locked, invisible to the other senders, until
   * `deliver` has recorded what happened and the transaction commits. Undefined when nothing is due.
   */
  async withNextDue<T>(now: Date, deliver: (row: Notification, transaction: EntityManager) => Promise<T>): Promise<T | undefined> {
    return this.dataSource.transaction(async (transaction) => {
      const row = await transaction
        .getRepository(Notification)
        .createQueryBuilder('n')
        .where(`n.status = 'due'`)
        .andWhere('n.next_attempt_at <= :now', { now })
        .orderBy('n.next_attempt_at', 'ASC')
        .addOrderBy('n.id', 'ASC')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      return row ? deliver(row, transaction) : undefined;
    });
  }

  static async sent(transaction: EntityManager, row: Notification, at: Date, recipient: string, smtpResponse: string): Promise<void> {
    await attempt(transaction, row, at, 'sent', { smtpResponse });
    await transaction.update(Notification, { id: row.id }, {
      status: 'sent',
      recipient,
      sentAt: at,
      nextAttemptAt: null,
      attemptCount: row.attemptCount + 1,
    });
  }

  /** A failed attempt: tried again at `retryAt`, or never (`failed`) when the server refused the message for good. */
  static async failed(transaction: EntityManager, row: Notification, at: Date, error: string, retryAt: Date | null): Promise<void> {
    await attempt(transaction, row, at, 'failed', { error });
    await transaction.update(Notification, { id: row.id }, {
      status: retryAt ? 'due' : 'failed',
      nextAttemptAt: retryAt,
      attemptCount: row.attemptCount + 1,
    });
  }

  /** Not tried: the customer's quiet hours began; it becomes due again when they end. */
  static async held(transaction: EntityManager, row: Notification, at: Date, until: Date, timeZone: string): Promise<void> {
    await attempt(transaction, row, at, 'held', { error: `quiet hours in ${timeZone} until ${until.toISOString()}` });
    await transaction.update(Notification, { id: row.id }, { dueAt: until, nextAttemptAt: until });
  }

  static async noAddress(transaction: EntityManager, row: Notification): Promise<void> {
    await transaction.update(Notification, { id: row.id }, { status: 'no-address', nextAttemptAt: null });
  }
}

async function attempt(
  transaction: EntityManager,
  row: Notification,
  at: Date,
  outcome: DeliveryOutcome,
  detail: { smtpResponse?: string; error?: string },
): Promise<void> {
  await transaction.insert(DeliveryAttempt, {
    id: randomUUID(),
    notificationId: row.id,
    attemptedAt: at,
    outcome,
    smtpResponse: detail.smtpResponse ?? null,
    error: detail.error ?? null,
  });
}
