import { pauseUnlessStopped } from '../background-loop/index.js';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

/** After a failed commit (broker restarting, group rebalancing), the offsets are sent again this much later. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * Commits a consumer's offsets behind its processing instead of in its path. The transport calls
 * `handled` once a run of records was applied or safely dead-lettered; the next offset of each
 * partition is committed by at most one commit request in flight, which carries every partition's
 * latest handled offset when it starts. Processing never waits for Kafka's answer: on a busy broker
 * that wait was most of a small run's time (ADR 0012).
 *
 * It keeps article 3's rule: an offset is only ever committed after its record was handled, because
 * only handled offsets are recorded here. A commit that fails (the broker restarting, the group
 * rebalancing) is sent again a second later unless a newer offset superseded it, until the consumer
 * stops; meanwhile a crash or a new owner of the partition redelivers records the inbox and the
 * ordering guard already know.
 */
export class OffsetCommitter {
  /** The next offset to read, by `topic\0partition`, not yet sent in a commit. */
  private readonly pending = new Map<string, { topic: string; partition: number; offset: string }>();
  private inFlight?: Promise<void>;

  constructor(
    private readonly consumer: Consumer,
    private readonly logger: Logger,
    /** Aborted when the consumer stops: failed commits are then not retried any more. */
    private readonly signal: AbortSignal,
  ) {}

  /** Records that every record of the partition up to `offset` is handled, and commits soon. */
  handled(topic: string, partition: number, offset: string): void {
    this.pending.set(`${topic}\0${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    this.inFlight ??= this.commitPending();
  }

  /** Waits until every handled offset was sent (the consumer's close calls it before leaving). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async commitPending(): Promise<void> {
    while (this.pending.size > 0) {
      const offsets = [...this.pending.values()];
      this.pending.clear();
      try {
        await this.consumer.commitOffsets(offsets);
      } catch (error) {
        this.logger.debug({ err: error, offsets }, `offset commit failed; retrying in ${RETRY_AFTER_FAILURE_MS} ms`);
        if (this.signal.aborted) break;
        for (const entry of offsets) {
          const key = `${entry.topic}\0${entry.partition}`;
          if (!this.pending.has(key)) this.pending.set(key, entry);
        }
        await pauseUnlessStopped(RETRY_AFTER_FAILURE_MS, this.signal);
      }
    }
    this.inFlight = undefined;
  }
}
