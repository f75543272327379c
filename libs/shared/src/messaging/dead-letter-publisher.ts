import type { SourceRecord } from '../ordering-guard/index.js';
import type { OrderedProducer } from './ordered-producer.js';

/**
 * Why a record was dead-lettered: it can never be decoded, or the gap before it never filled; or,
 * only in the workshop's naive consumer (article 4), its handler threw.
 */
export type DeadLetterReason = 'invalid-event' | 'ordering-gap-expired' | 'handler-failed';

export interface DeadLetterFailure {
  reason: DeadLetterReason;
  errorClass: string;
  errorMessage: string;
  firstFailureAt: Date;
  attempts: number;
}

/** Names of the context headers every dead letter carries (besides the record's own headers). */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  errorClass: 'x-dead-letter-error-class',
  errorMessage: 'x-dead-letter-error-message',
  sourceTopic: 'x-dead-letter-source-topic',
  sourcePartition: 'x-dead-letter-source-partition',
  sourceOffset: 'x-dead-letter-source-offset',
  consumer: 'x-dead-letter-consumer',
  consumerVersion: 'x-dead-letter-consumer-version',
  firstFailureAt: 'x-dead-letter-first-failure-at',
  attempts: 'x-dead-letter-attempts',
} as const;

/**
 * Writes a record that cannot be applied to the consumer's dead-letter topic, with its original key,
 * value and headers and the context a person needs to act on it (article 3: a dead letter without
 * its source offset and error is a message nobody can redrive or explain). The caller commits the
 * source offset only after `publish` resolved.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: OrderedProducer,
    readonly topic: string,
    private readonly consumer: { name: string; version: string },
  ) {}

  async publish(record: SourceRecord, failure: DeadLetterFailure): Promise<void> {
    const h = DEAD_LETTER_HEADERS;
    await this.producer.send(this.topic, [
      {
        // An unkeyed record (a producer bug) still needs a key for the ordered producer.
        key: record.key ?? `${record.topic}/${record.partition}`,
        value: record.value,
        headers: {
          ...record.headers,
          [h.reason]: failure.reason,
          [h.errorClass]: failure.errorClass,
          // Header values travel with every fetch of the topic: keep them bounded.
          [h.errorMessage]: failure.errorMessage.slice(0, 2_000),
          [h.sourceTopic]: record.topic,
          [h.sourcePartition]: String(record.partition),
          [h.sourceOffset]: record.offset,
          [h.consumer]: this.consumer.name,
          [h.consumerVersion]: this.consumer.version,
          [h.firstFailureAt]: failure.firstFailureAt.toISOString(),
          [h.attempts]: String(failure.attempts),
        },
      },
    ]);
  }
}
