import type { Consumer } from 'kafkajs';
import type { Clock } from '../clock/index.js';
import { originOf, type RetryingRecordProcessor, type RetryTopics } from '../dead-letter/index.js';
import type { SourceRecord } from './source-record.js';

/**
 * Holds a retry topic's partition until its head record is due (article 3). A retry topic holds
 * one delay, so its head is always the next record due: the partition pauses until then and is read
 * again from that record, while the source partitions go on.
 */
export class RetryTopicPacer {
  private readonly resumeTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly retryTopics: RetryTopics,
    /** Told which records wait at the head of a retry topic, for the stuck-retry gauge. */
    private readonly processor: RetryingRecordProcessor,
    private readonly clock: Clock,
  ) {}

  /**
   * True when `record` sits at the head of a retry topic and its delay has not passed: its partition
   * is then paused, rewound to it and resumed when it is due.
   */
  notDueYet(consumer: Consumer, record: SourceRecord): boolean {
    if (this.retryTopics.stageOf(record.topic) === undefined) return false;
    const notBefore = originOf(record).notBefore;
    const waitMs = notBefore ? notBefore.getTime() - this.clock.now().getTime() : 0;
    if (waitMs <= 0) {
      this.processor.waiting(record, false);
      return false;
    }
    const at = [{ topic: record.topic, partitions: [record.partition] }];
    consumer.pause(at);
    consumer.seek({ topic: record.topic, partition: record.partition, offset: record.offset });
    this.processor.waiting(record, true);
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      consumer.resume(at);
    }, waitMs);
    this.resumeTimers.add(timer);
    return true;
  }

  /** Cancels the pending resumes: the consumer is stopping. */
  stop(): void {
    for (const timer of this.resumeTimers) clearTimeout(timer);
  }
}
