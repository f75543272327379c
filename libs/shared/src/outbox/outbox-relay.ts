import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { CLOCK, type Clock } from '../clock/index.js';
import { OrderedProducer } from '../messaging/index.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { MAX_BACKOFF_MS, OUTBOX_DEFAULTS, OUTBOX_OPTIONS, type OutboxOptions } from './outbox-options.js';

/**
 * The publishing half of the transactional outbox: polls the unpublished rows in id order, sends
 * each to its topic keyed by aggregate id through the ordered producer, and marks it published.
 *
 * Delivery is at-least-once: a crash between the send and the update publishes that row again on
 * restart, and consumers deduplicate by eventId (inbox). What it never does is lose an event or
 * overtake one: rows go out one at a time, each send awaited before the next.
 *
 * Minimal for now: one relay per service instance and no lock, so two replicas could interleave.
 * The advisory lock, NOTIFY wake-ups and metrics come with a later issue.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private stopping?: AbortController;
  private loop?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: OrderedProducer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OUTBOX_OPTIONS) options: OutboxOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? OUTBOX_DEFAULTS.pollIntervalMs;
    this.batchSize = options.batchSize ?? OUTBOX_DEFAULTS.batchSize;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Runs before the database and Kafka connections close: the loop must finish first. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
  }

  /** Lets the row being published finish, then stops. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** One pass: publishes up to one batch of pending rows, returns how many it published. */
  async publishPending(signal?: AbortSignal): Promise<number> {
    const outbox = this.dataSource.getRepository(OutboxMessage);
    const pending = await outbox.find({
      where: { publishedAt: IsNull() },
      order: { id: 'ASC' },
      take: this.batchSize,
    });
    let published = 0;
    for (const row of pending) {
      if (signal?.aborted) break;
      await this.producer.send(row.topic, [{ key: row.aggregateId, value: JSON.stringify(row.envelope) }]);
      await outbox.update({ id: row.id }, { publishedAt: this.clock.now() });
      published += 1;
    }
    return published;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let published = 0;
      try {
        published = await this.publishPending(signal);
        if (failures > 0) this.logger.log(`outbox relay recovered after ${failures} failed attempts`);
        failures = 0;
      } catch (error) {
        failures += 1;
        // The first failure and then every 20th: an outage must be visible without flooding the log.
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn({ err: error, failures }, 'outbox relay could not publish; retrying with backoff');
        }
      }
      if (published === this.batchSize) continue;
      const delay = failures === 0 ? this.pollIntervalMs : Math.min(this.pollIntervalMs * 2 ** failures, MAX_BACKOFF_MS);
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }
}
