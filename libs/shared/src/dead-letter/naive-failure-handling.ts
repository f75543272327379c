/**
 * WORKSHOP ONLY — article 3's failure, the dropped message: a consumer that logs whatever fails and
 * skips it. The offset is committed as if the record had been applied, so a poison event and an
 * event that met a database outage alike are gone: no retry for the transient failure one more
 * attempt would have applied, no dead letter to inspect and redrive, no metric to alert on.
 * EventConsumerFactory hands the batch runner this processor instead of the RetryingRecordProcessor
 * when the consumer's `failures` is `naive` (refused outside workshop mode, see
 * requireAllowedConsumerOrdering).
 */
import type { Logger } from 'pino';
import type { ConsumedEventPipeline, ConsumerOutcome, RecordProcessor, SourceRecord } from '../messaging/index.js';

/** The warning the consumer logs once it runs with this processor. */
export const naiveFailureHandlingNotice = (consumer: string): string =>
  `consumer ${consumer}: NAIVE failure handling (workshop, article 3): failed records are skipped`;

/** Takes records one at a time; one that fails, even to decode, is logged and skipped. */
export class SkippingRecordProcessor implements RecordProcessor {
  constructor(
    private readonly pipeline: ConsumedEventPipeline,
    private readonly logger: Logger,
  ) {}

  processBatch(): Promise<ConsumerOutcome[]> {
    return Promise.resolve([]);
  }

  async process(record: SourceRecord): Promise<void> {
    try {
      await this.pipeline.apply(this.pipeline.decode(record), record);
    } catch (error) {
      this.logger.warn(
        { topic: record.topic, partition: record.partition, offset: record.offset, err: error },
        'naive consumer (workshop, article 3): processing failed; record skipped',
      );
    }
  }
}
