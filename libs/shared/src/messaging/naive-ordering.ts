/**
 * WORKSHOP ONLY — article 4's failure, "cancelled" applied before "placed": a consumer that applies
 * each event the moment it arrives. Kafka keeps order within a partition, never across partitions,
 * and a producer with several requests in flight can reorder even one partition; a consumer with no
 * ordering guard has nothing to put that right, so a "cancelled" read before its "placed" is handed
 * to the handler first and the order ends in an impossible state. EventConsumerFactory builds this
 * pipeline instead of ConsumedEventPipeline when the consumer's `ordering` is `naive` (refused
 * outside workshop mode, see requireAllowedConsumerOrdering).
 */
import type { EntityManager } from 'typeorm';
import type { DecodedEvent } from '../contracts/index.js';
import { Inbox } from '../inbox/index.js';
import { ConsumedEventPipeline, type ConsumedEventPipelineOptions } from './consumed-event-pipeline.js';
import type { ConsumerOutcome } from './consumer-metrics.js';
import type { SourceRecord } from './source-record.js';
import { recordFailure } from './trace-context.js';

/** The warning the consumer logs once it runs with this pipeline. */
export const naiveOrderingNotice = (consumer: string): string =>
  `consumer ${consumer}: NAIVE ordering (workshop, article 4): events applied as they arrive, no ordering guard`;

/**
 * The same handlers as in guarded mode; only the guard is off. The inbox stays: it is article 3's
 * mechanism (duplicates), not this article's, and keeping it makes every wrong state the workshop
 * shows come from ordering alone.
 *
 * A handler that throws (billing's "cancelled" finds no order to cancel) is dead-lettered after
 * one attempt and the consumer goes on, as an ordering-unaware consumer treats an event it cannot
 * apply as poison. The cancellation is then gone from billing's copy, which keeps the order
 * "placed" for good: the impossible state. Leaving the error to kafkajs instead would log "Error
 * when calling eachMessage", refetch and retry with backoff until "placed" has been read from its
 * own partition, and then the cancellation would apply (9 failed attempts, catch-up 9 s instead of
 * 5 s, every order right): a handler that throws on a missing predecessor plus endless retries is a
 * crude ordering guard, and would hide the failure the workshop is about.
 */
export class ArrivalOrderPipeline extends ConsumedEventPipeline {
  private readonly inbox: Inbox;

  constructor(options: ConsumedEventPipelineOptions) {
    super(options);
    this.inbox = new Inbox(options.consumer.name);
  }

  /** Records go one at a time, each in its own transaction. */
  override processBatch(): Promise<ConsumerOutcome[]> {
    return Promise.resolve([]);
  }

  /** Applies the event as it arrives: the handler, then the inbox row, and no checkpoint. */
  override apply(event: DecodedEvent, record: SourceRecord): Promise<ConsumerOutcome> {
    return this.tracing.process(record, event, () => this.applyOnArrival(event, record));
  }

  private async applyOnArrival(event: DecodedEvent, record: SourceRecord): Promise<ConsumerOutcome> {
    const { dataSource, metrics, consumer, clock } = this.options;
    const now = clock.now();
    let outcome: ConsumerOutcome;
    try {
      outcome = await dataSource.transaction(async (transaction: EntityManager) => {
        if (await this.inbox.contains(transaction, event.eventId)) return 'duplicate';
        await this.invoke(transaction, event, record);
        await this.inbox.record(transaction, event, now);
        return 'applied';
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      recordFailure(failure);
      await this.options.deadLetters.publish(record, {
        reason: 'handler-failed',
        errorClass: failure.name,
        errorMessage: failure.message,
        firstFailureAt: now,
        attempts: 1,
      });
      metrics.deadLettersPublished.inc({ consumer: consumer.name, reason: 'handler-failed' });
      this.options.logger.warn(
        { type: event.type, aggregateId: event.aggregateId, sequence: event.sequence, err: failure },
        `naive consumer (workshop, article 4): handler failed; dead-lettered to ${this.options.deadLetters.topic}`,
      );
      outcome = 'dead_lettered';
    }
    metrics.events.inc({ consumer: consumer.name, type: event.type, outcome });
    return outcome;
  }
}
