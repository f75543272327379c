import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import type { DeadLetterPublisher } from '../dead-letter/index.js';
import type { ConsumerMetrics } from '../messaging/index.js';
import { OrderingGuard, type AggregateStream } from './ordering-guard.js';

export interface ExpiredGapSweepOptions {
  consumer: string;
  dataSource: DataSource;
  deadLetters: DeadLetterPublisher;
  metrics: ConsumerMetrics;
  clock: Clock;
  /** How long an early event may wait for its predecessor (EventConsumerOptions.holdBoundMs). */
  holdBoundMs: number;
  /**
   * How long the consumer has been fetching without a break (SteadyConsumption): the bound counts
   * only time in which the predecessor could have arrived.
   */
  steadyForMs: () => number;
  /** Called once held events were dead-lettered, so the held gauge counts them no more. */
  heldChanged: () => Promise<void>;
  logger: Logger;
}

/**
 * Dead-letters the held events whose gap did not fill within the bound, and counts them on the
 * alert metric (article 4: a gap that never fills is a lost event, and must page someone rather
 * than stall the aggregate silently). Later events of that aggregate keep being held behind the
 * same gap and follow once they too expire: skipping the gap would apply them out of order.
 */
export class ExpiredGapSweep {
  private readonly guard: OrderingGuard;

  constructor(private readonly options: ExpiredGapSweepOptions) {
    this.guard = new OrderingGuard(options.consumer);
  }

  /**
   * Returns how many held events it dead-lettered. Nothing expires until the consumer has fetched
   * for a whole bound without a break: a predecessor waiting in a retry topic while the broker was
   * away, or while the group rejoined, gets the full bound once it can be delivered again.
   */
  async deadLetterExpiredGaps(): Promise<number> {
    const { dataSource, clock, holdBoundMs, metrics, consumer } = this.options;
    if (this.options.steadyForMs() < holdBoundMs) return 0;
    const now = clock.now();
    const heldBefore = new Date(now.getTime() - holdBoundMs);
    let deadLettered = 0;
    for (const stream of await this.guard.streamsWithExpiredEvents(dataSource.manager, heldBefore)) {
      const expired = await dataSource.transaction(async (transaction) => {
        // Locking the checkpoint first serialises the sweep with a delivery that fills the gap now.
        const last = await this.guard.lockLastApplied(transaction, stream, now);
        const released = await this.guard.releaseExpired(transaction, stream, heldBefore);
        for (const { envelope, source, heldAt } of released) {
          await this.options.deadLetters.publish(source, {
            reason: 'ordering-gap-expired',
            errorClass: 'OrderingGapExpired',
            errorMessage:
              `${envelope.type} sequence ${envelope.sequence} of ${stream.aggregateType} ${stream.aggregateId} waited ` +
              `${now.getTime() - heldAt.getTime()} ms (bound ${holdBoundMs} ms) for sequence ${last + 1}, which had not arrived`,
            firstFailureAt: heldAt,
            attempts: 1,
          });
        }
        return released;
      });
      for (const { envelope } of expired) {
        metrics.events.inc({ consumer, type: envelope.type, outcome: 'dead_lettered' });
        metrics.deadLettersPublished.inc({ consumer, reason: 'ordering-gap-expired' });
        metrics.gapsDeadLettered.inc({ consumer });
      }
      if (expired.length > 0) this.logGap(stream, expired.length);
      deadLettered += expired.length;
    }
    if (deadLettered > 0) await this.options.heldChanged();
    return deadLettered;
  }

  private logGap(stream: AggregateStream, count: number): void {
    this.options.logger.error(
      { ...stream, count, deadLetterTopic: this.options.deadLetters.topic },
      `ordering gap did not fill within ${this.options.holdBoundMs} ms: dead-lettered ${count} held event(s)`,
    );
  }
}
