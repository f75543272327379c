import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { BackgroundLoop, pauseUnlessStopped } from '@faultline/shared/background-loop';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ServiceMetrics } from '@faultline/shared/observability';
import { DependencyUnavailableError } from '@faultline/shared/resilience';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { ContactPreferences, type DeliveryOutcome, type Notification } from '../entities/index.js';
import { renderNotification } from '../email-templates/email-kinds.js';
import { decideDelivery } from './delivery-decision.js';
import { DeliveryOutbox } from './delivery-outbox.js';
import type { DeliverySettings } from './delivery-settings.js';
import { traceNotSent, tracedSend } from './delivery-tracing.js';
import { messageIdOf } from './message-id.js';
import { SmtpMailer, SmtpSendError } from './smtp-mailer.js';

export const DELIVERY_SETTINGS = Symbol.for('faultline.notifications.DeliverySettings');

/** What one pass over the outbox came to: a row was handled, nothing was due, or the SMTP breaker is open. */
type Pass = 'handled' | 'idle' | 'breaker-open';

/**
 * The delivery outbox's sender: a loop, started and stopped with the app, that claims one due row
 * at a time (see DeliveryOutbox.withNextDue), decides what to do with it (send, hold for quiet
 * hours, no address), sends it over SMTP with the event's Message-ID, and records the attempt and
 * the row's new state in the transaction that holds the row.
 *
 * **At least once, recognisably.** A crash after the SMTP server accepted a message and before the
 * commit leaves the row due; it is sent again after restart with the same Message-ID.
 *
 * **An SMTP outage loses nothing.** A failed attempt is recorded and the row waits (backoff, doubling
 * with jitter); once the breaker is open, the sender stops claiming rows and only the breaker's
 * half-open probe reaches the server, so an outage costs a few attempts, not one per row per pass.
 *
 * **In the order's trace.** The loop runs untraced (BackgroundLoop: polling makes no spans); each row's SMTP
 * attempt, or the reason it was not sent, is a span in the trace the row was recorded in (delivery-tracing.ts).
 */
@Injectable()
export class NotificationSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly outbox: DeliveryOutbox;
  private readonly log: Logger;
  private readonly attempts: Counter<'outcome'>;
  private readonly loop = new BackgroundLoop((signal) => this.run(signal));

  constructor(
    dataSource: DataSource,
    private readonly mailer: SmtpMailer,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_LOGGER) logger: Logger,
    metrics: ServiceMetrics,
  ) {
    this.outbox = new DeliveryOutbox(dataSource);
    this.log = logger.child({ component: 'NotificationSender' });
    this.attempts =
      (metrics.registry.getSingleMetric('notifications_delivery_attempts_total') as Counter<'outcome'> | undefined) ??
      new Counter({
        name: 'notifications_delivery_attempts_total',
        help: 'What the sender did with each due e-mail it claimed: sent, failed (an SMTP attempt that did not deliver), held (quiet hours), no-address',
        labelNames: ['outcome'],
        registers: [metrics.registry],
      });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Runs before the database connection closes: the row in hand is finished (bounded by the SMTP timeouts) first. */
  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    this.mailer.close();
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let pass: Pass;
      try {
        pass = await this.deliverNext();
      } catch (error) {
        // The database is out (a cut link, a restart): the row, if any, stays due for the next pass.
        this.log.warn({ err: error }, 'delivery pass failed; retrying at the next interval');
        pass = 'idle';
      }
      if (pass !== 'handled') await pauseUnlessStopped(this.settings.pollIntervalMs, signal);
    }
  }

  /** Claims the next due row and deals with it; see Pass. */
  private async deliverNext(): Promise<Pass> {
    const result = await this.outbox.withNextDue(this.clock.now(), (row, transaction) => this.deliver(row, transaction));
    return result ?? 'idle';
  }

  private async deliver(row: Notification, transaction: EntityManager): Promise<Pass> {
    const now = this.clock.now();
    const preferences = row.customerId ? await transaction.findOneBy(ContactPreferences, { customerId: row.customerId }) : null;
    const decision = decideDelivery(row.kind, preferences, now);
    if (decision.action === 'no-address') {
      traceNotSent(row, { outcome: 'no-address' });
      await DeliveryOutbox.noAddress(transaction, row);
      return this.counted('handled', 'no-address');
    }
    if (decision.action === 'hold') {
      traceNotSent(row, { outcome: 'held', until: decision.until });
      await DeliveryOutbox.held(transaction, row, now, decision.until, preferences?.timeZone ?? 'UTC');
      return this.counted('handled', 'held');
    }
    let email;
    try {
      if (!row.eventId || !row.content) throw new Error('the notification has no event or content to render');
      email = { ...renderNotification(row.kind, row.content, { timeZone: decision.timeZone }), to: decision.to, messageId: messageIdOf(row.eventId) };
    } catch (error) {
      // Content that does not render never will: fail it for good rather than retry it forever.
      traceNotSent(row, { outcome: 'unrenderable', error });
      await DeliveryOutbox.failed(transaction, row, now, `cannot render: ${describe(error)}`, null);
      return this.counted('handled', 'failed');
    }
    try {
      const traced = { messageId: email.messageId, recipient: email.to, server: this.settings.smtp };
      const response = await tracedSend(row, traced, () => this.mailer.send(email));
      await DeliveryOutbox.sent(transaction, row, this.clock.now(), decision.to, response);
      return this.counted('handled', 'sent');
    } catch (error) {
      if (!(error instanceof SmtpSendError)) throw error;
      // Failed fast by the open breaker: the server never saw it, so nothing is recorded and the row
      // keeps its place; the sender waits for the half-open probe instead of claiming more rows.
      if (error.conversations === 0) return 'breaker-open';
      const retryAt = error.permanent ? null : this.retryAt(row.attemptCount + 1);
      await DeliveryOutbox.failed(transaction, row, this.clock.now(), describe(error.cause), retryAt);
      return this.counted(error.cause instanceof DependencyUnavailableError && error.cause.cause instanceof BrokenCircuitError ? 'breaker-open' : 'handled', 'failed');
    }
  }

  /** `firstMs` after the first failure, doubling up to `maxMs`, each with up to ±25 % jitter so rows failed together spread out. */
  private retryAt(failures: number): Date {
    const { firstMs, maxMs } = this.settings.retryBackoff;
    const delay = Math.min(maxMs, firstMs * 2 ** Math.min(failures - 1, 30));
    return new Date(this.clock.now().getTime() + delay * (0.75 + Math.random() * 0.5));
  }

  private counted(pass: Pass, outcome: DeliveryOutcome | 'no-address'): Pass {
    this.attempts.inc({ outcome });
    return pass;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
