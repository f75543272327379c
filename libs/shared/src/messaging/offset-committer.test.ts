import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Consumer, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { createServiceLogger } from '../observability/index.js';
import { OffsetCommitter } from './offset-committer.js';

/**
 * The committer's bookkeeping, with a stand-in for kafkajs's commitOffsets (this is pure logic: the
 * transport's integration tests and the scenarios commit against the real broker).
 */
class RecordingConsumer {
  readonly commits: TopicPartitionOffsetAndMetadata[][] = [];
  failuresLeft = 0;
  private release?: () => void;
  private gate?: Promise<void>;

  /** Holds the next commits open until `open()`: lets a test see what piles up behind one in flight. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release?.();
    this.gate = undefined;
  }

  async commitOffsets(offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    await this.gate;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('The group is rebalancing, so a rejoin is needed');
    }
    this.commits.push(offsets);
  }
}

const logger = createServiceLogger({ name: 'offset-committer-test', version: '0.0.0' }, 'error');

function committer(consumer: RecordingConsumer, signal = new AbortController().signal): OffsetCommitter {
  return new OffsetCommitter(consumer as unknown as Consumer, logger, signal);
}

describe('OffsetCommitter', () => {
  it('commits the offset after the handled record, so a restart resumes at the first record not handled', async () => {
    const consumer = new RecordingConsumer();
    const offsets = committer(consumer);
    offsets.handled('orders', 2, '41');
    await offsets.flush();
    assert.deepEqual(consumer.commits, [[{ topic: 'orders', partition: 2, offset: '42' }]]);
  });

  it('keeps one commit in flight and sends only the latest handled offset of each partition after it', async () => {
    const consumer = new RecordingConsumer();
    const offsets = committer(consumer);
    consumer.hold();
    offsets.handled('orders', 0, '9');
    offsets.handled('orders', 0, '19');
    offsets.handled('orders', 1, '4');
    offsets.handled('orders', 0, '29');
    consumer.open();
    await offsets.flush();
    assert.deepEqual(consumer.commits, [
      [{ topic: 'orders', partition: 0, offset: '10' }],
      [
        { topic: 'orders', partition: 0, offset: '30' },
        { topic: 'orders', partition: 1, offset: '5' },
      ],
    ]);
  });

  it('sends a failed commit again unless a newer offset of that partition superseded it', async () => {
    const consumer = new RecordingConsumer();
    const offsets = committer(consumer);
    consumer.failuresLeft = 1;
    offsets.handled('orders', 0, '9');
    offsets.handled('orders', 1, '3');
    offsets.handled('orders', 0, '19');
    await offsets.flush();
    assert.equal(consumer.commits.length, 1);
    assert.deepEqual(
      consumer.commits[0]?.toSorted((a, b) => a.partition - b.partition),
      [
        { topic: 'orders', partition: 0, offset: '20' },
        { topic: 'orders', partition: 1, offset: '4' },
      ],
    );
  });

  it('stops retrying once the consumer stops, leaving the records to be redelivered', async () => {
    const consumer = new RecordingConsumer();
    const stopping = new AbortController();
    const offsets = committer(consumer, stopping.signal);
    consumer.failuresLeft = 100;
    stopping.abort();
    offsets.handled('orders', 0, '9');
    await offsets.flush();
    assert.deepEqual(consumer.commits, []);
  });
});
