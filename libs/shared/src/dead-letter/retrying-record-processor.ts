import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import type { ConsumedEventPipeline, ConsumerMetrics, ConsumerOutcome, OrderedProducer, RecordProcessor, SourceRecord } from '../messaging/index.js';
import { envelopeTraceOf, type DeadLetterPublisher } from './dead-letter-publisher.js';
import { classifyFailure, type ClassifiedFailure } from './failure-classification.js';
import { backoffDelayMs, type FailurePolicy } from './failure-policy.js';
import { RETRY_HEADERS, originOf, type RetryTopics } from './retry-topics.js';

export interface RetryingRecordProcessorOptions {
  consumer: string;
  pipeline: ConsumedEventPipeline;
  policy: FailurePolicy;
  retryTopics: RetryTopics;
  producer: OrderedProducer;
  deadLetters: DeadLetterPublisher;
  metrics: ConsumerMetrics;
  clock: Clock;
  logger: Logger;
  /** Aborted when the consumer stops: an in-process backoff ends early and the record is redelivered. */
  signal: AbortSignal;
}

/**
 * Applies the failure policy around the ConsumedEventPipeline (article 3): a failure that can never
 * succeed goes to the dead-letter topic after one attempt; a transient one is attempted a few times
 * in process with jittered backoff, then moved to the next retry topic (so the source partition goes
 * on), and after the last retry topic dead-lettered as retryable, for the automatic redrive.
 *
 * Ordering still holds: the failed event did not move its aggregate's checkpoint, so the ordering
 * guard holds that aggregate's later events (up to the hold bound) until the retry applies it.
 *
 * `process` resolves once the record is applied, moved on or dead-lettered; only then does the
 * transport commit its offset. If moving it on fails (Kafka down), it throws and the record is
 * redelivered, never lost.
 */
export class RetryingRecordProcessor implements RecordProcessor {
  /** First failure of each record being retried right now, by source topic (for the stuck-retry gauge). */
  private readonly retrying = new Map<string, { topic: string; since: Date }>();
  /** Topics whose gauge was ever set, so it returns to 0 once nothing of them is in retry. */
  private readonly topicsSeen = new Set<string>();

  constructor(private readonly options: RetryingRecordProcessorOptions) {}

  /** A run in one transaction (ConsumedEventPipeline.processBatch); a failed run throws, nothing applied. */
  processBatch(records: readonly SourceRecord[]): Promise<ConsumerOutcome[]> {
    return this.options.pipeline.processBatch(records);
  }

  async process(record: SourceRecord): Promise<ConsumerOutcome> {
    const { pipeline, policy, clock, metrics, consumer, signal } = this.options;
    const origin = originOf(record);
    const key = `${origin.topic}/${origin.partition}/${origin.offset}`;
    let firstFailureAt = origin.firstFailureAt;
    let attempts = origin.attempts;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await pipeline.process(record);
        } catch (error) {
          attempts += 1;
          firstFailureAt ??= clock.now();
          const failure = classifyFailure(error);
          if (!failure.retryable) return await this.deadLetter(record, failure, 'non-retryable', firstFailureAt, attempts);
          if (attempt >= policy.inProcessAttempts) return await this.moveOn(record, failure, firstFailureAt, attempts);
          this.retrying.set(key, { topic: origin.topic, since: firstFailureAt });
          this.refreshRetryingGauge();
          metrics.retries.inc({ consumer, topic: origin.topic, stage: 'in-process' });
          await sleep(backoffDelayMs(policy, attempt), undefined, { signal });
        }
      }
    } finally {
      this.retrying.delete(key);
      this.refreshRetryingGauge();
    }
  }

  /** Marks a record waiting at the head of a retry topic as "being retried" for the stuck-retry gauge. */
  waiting(record: SourceRecord, waiting: boolean): void {
    const origin = originOf(record);
    const key = `${origin.topic}/${origin.partition}/${origin.offset}`;
    if (waiting) this.retrying.set(key, { topic: origin.topic, since: origin.firstFailureAt ?? this.options.clock.now() });
    else this.retrying.delete(key);
    this.refreshRetryingGauge();
  }

  refreshRetryingGauge(): void {
    const { metrics, consumer, clock } = this.options;
    const now = clock.now().getTime();
    const oldest = new Map<string, number>();
    for (const { topic, since } of this.retrying.values()) {
      oldest.set(topic, Math.max(oldest.get(topic) ?? 0, (now - since.getTime()) / 1_000));
    }
    for (const [topic, seconds] of oldest) metrics.retryingRecordAge.set({ consumer, topic }, seconds);
    // Topics with nothing in retry any more go back to 0 rather than keep their last value.
    for (const known of this.topicsSeen) if (!oldest.has(known)) metrics.retryingRecordAge.set({ consumer, topic: known }, 0);
    for (const topic of oldest.keys()) this.topicsSeen.add(topic);
  }

  private async moveOn(record: SourceRecord, failure: ClassifiedFailure, firstFailureAt: Date, attempts: number): Promise<ConsumerOutcome> {
    const { retryTopics, policy, producer, clock, metrics, consumer, logger } = this.options;
    const stage = retryTopics.stageOf(record.topic) ?? 0;
    // The redrive topic (stage 0) starts the retry topics over: a redriven record gets every chance again.
    const next = stage + 1;
    if (next > retryTopics.stages.length) return this.deadLetter(record, failure, 'retries-exhausted', firstFailureAt, attempts);
    const origin = originOf(record);
    const topic = retryTopics.stages[next - 1] ?? '';
    const delayMs = policy.retryDelaysMs[next - 1] ?? 0;
    await producer.send(topic, [
      {
        key: record.key ?? `${origin.topic}/${origin.partition}`,
        value: record.value,
        headers: {
          ...record.headers,
          [RETRY_HEADERS.stage]: String(next),
          [RETRY_HEADERS.notBefore]: new Date(clock.now().getTime() + delayMs).toISOString(),
          [RETRY_HEADERS.attempts]: String(attempts),
          [RETRY_HEADERS.firstFailureAt]: firstFailureAt.toISOString(),
          [RETRY_HEADERS.errorClass]: failure.errorClass,
          [RETRY_HEADERS.errorMessage]: failure.message.slice(0, 2_000),
          [RETRY_HEADERS.sourceTopic]: origin.topic,
          [RETRY_HEADERS.sourcePartition]: String(origin.partition),
          [RETRY_HEADERS.sourceOffset]: origin.offset,
        },
      },
    ]);
    metrics.retries.inc({ consumer, topic: origin.topic, stage: 'retry-topic' });
    logger.warn(
      { sourceTopic: origin.topic, sourceOffset: origin.offset, retryTopic: topic, delayMs, attempts, correlationId: envelopeTraceOf(record).correlationId, err: failure.message },
      `transient failure (${failure.errorClass}); retrying through ${topic} in ${delayMs} ms`,
    );
    return 'retry_scheduled';
  }

  private async deadLetter(
    record: SourceRecord,
    failure: ClassifiedFailure,
    reason: 'non-retryable' | 'retries-exhausted',
    firstFailureAt: Date,
    attempts: number,
  ): Promise<ConsumerOutcome> {
    const { deadLetters, metrics, consumer, logger } = this.options;
    await deadLetters.publish(record, {
      reason,
      errorClass: failure.errorClass,
      errorMessage: `${failure.failureClass}: ${failure.message}`,
      firstFailureAt,
      attempts,
      retryable: failure.retryable,
    });
    metrics.deadLettersPublished.inc({ consumer, reason });
    logger.error(
      {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        attempts,
        failureClass: failure.failureClass,
        correlationId: envelopeTraceOf(record).correlationId,
        err: failure.message,
      },
      `dead-lettered to ${deadLetters.topic} (${reason})`,
    );
    return 'dead_lettered';
  }
}
