/**
 * WORKSHOP ONLY — article 4's failure on the publishing side, "cancelled" published before
 * "placed": a relay that publishes without the leader lock, under a random key, through a producer
 * with several requests in flight. Kafka keeps order within a partition only, so a random key
 * spreads one aggregate's events over partitions that consumers read in any order; every instance
 * publishing at once interleaves the same rows in several streams; and with several requests in
 * flight a failed request is retried after the one sent behind it was written, or appends its batch
 * a second time. OutboxModule builds these instead of the OutboxRelay over the OrderedProducer when
 * the outbox option `publishing` is `naive` (refused outside workshop mode, see
 * resolveOutboxOptions).
 */
import { randomUUID } from 'node:crypto';
import type { KafkaClient, MessageProducer, OutgoingMessage } from '../messaging/index.js';
import { OutboxRelay } from './outbox-relay.js';
import type { PendingRow } from './outbox-table.js';

/**
 * The settings most clients start with: not idempotent, five requests in flight (the Java client's
 * default; kafkajs's own default has no limit at all).
 */
export function createUnorderedProducer(kafka: KafkaClient): MessageProducer {
  return kafka.createProducer({ idempotent: false, maxInFlightRequests: 5 });
}

/** Every instance publishes at once, each event under a random key. */
export class NaiveOutboxRelay extends OutboxRelay {
  private started = false;

  override start(): void {
    if (!this.started) this.logger.warn(`outbox ${this.options.table}: NAIVE publishing (workshop, article 4): random keys, no leader lock`);
    this.started = true;
    super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.started = false;
  }

  /** No lock: this instance publishes whatever the others do. */
  protected override awaitLeadership(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** A random key scatters one aggregate's events over the partitions. */
  protected override toMessage(row: PendingRow): OutgoingMessage {
    return { key: randomUUID(), value: row.envelope };
  }

  protected override announceLeadership(): void {
    this.logger.warn(`outbox relay for ${this.options.table} publishes without the lock (naive)`);
  }
}
