import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import type { ConsumerMetrics, KafkaClient, OrderedProducer } from '../messaging/index.js';
import type { DeadLetterLedger } from './dead-letter-ledger.js';

/** How the consumer watches and tends its dead letters (article 3); see EventConsumerOptions.deadLetters. */
export interface DeadLetterCare {
  /**
   * How often depth, oldest age and lag are refreshed (and the automatic redrive considered): 10 s
   * is twice Prometheus's scrape interval here, and reading a small dead-letter topic takes well
   * under a second.
   */
  checkIntervalMs: number;
  /**
   * Redrive retryable dead letters (retries-exhausted) by itself once the dependency's health check
   * passes again: the outage they waited out is over, and a person would do nothing else.
   */
  autoRedrive: boolean;
  /** Redrives per second, for the automatic and the manual redrive: a recovered dependency is not flooded. */
  redrivePerSecond: number;
  /**
   * After this long a dead letter nobody redrove is archived (copied to `<dlq>.archive` and marked):
   * 14 days, comfortably past the 24 h alert, so it expires only after it has paged someone.
   */
  retentionMs: number;
}

export const DEFAULT_DEAD_LETTER_CARE: DeadLetterCare = Object.freeze({
  checkIntervalMs: 10_000,
  autoRedrive: true,
  redrivePerSecond: 10,
  retentionMs: 14 * 24 * 60 * 60 * 1_000,
});

export interface DeadLetterMonitorOptions {
  consumer: string;
  groupId: string;
  sourceTopics: readonly string[];
  ledger: DeadLetterLedger;
  kafka: KafkaClient;
  producer: OrderedProducer;
  metrics: ConsumerMetrics;
  clock: Clock;
  care: DeadLetterCare;
  /** The dependency's health check (the service's database): resolves when healthy, throws otherwise. */
  dependencyHealthy: () => Promise<void>;
  logger: Logger;
}

/**
 * Turns the dead-letter topic into numbers Prometheus alerts on — depth and age of the oldest, per
 * consumer and topic, and the consumer's lag — and tends it: redrives retryable dead letters once
 * the dependency is healthy again, and archives those past the retention. Both write resolutions,
 * never deletions (see DeadLetterLedger).
 */
export class DeadLetterMonitor {
  constructor(private readonly options: DeadLetterMonitorOptions) {}

  async check(): Promise<void> {
    const { ledger, metrics, consumer, clock, care, logger, producer } = this.options;
    const now = clock.now();
    const waiting = await ledger.list({}, now);
    const oldest = waiting.reduce<Date | undefined>((min, letter) => (!min || letter.firstFailureAt < min ? letter.firstFailureAt : min), undefined);
    metrics.deadLetterDepth.set({ consumer, topic: ledger.topic }, waiting.length);
    metrics.deadLetterOldestAge.set({ consumer, topic: ledger.topic }, oldest ? (now.getTime() - oldest.getTime()) / 1_000 : 0);
    await this.refreshLag();

    const expired = waiting.filter((letter) => now.getTime() - letter.firstFailureAt.getTime() >= care.retentionMs);
    if (expired.length > 0) {
      const archived = await ledger.archive(producer, { ids: expired.map((letter) => letter.id) }, { by: 'retention', now });
      logger.warn({ count: archived.length, archive: ledger.archiveTopic }, 'archived dead letters past their retention');
    }

    const retryable = waiting.filter((letter) => letter.retryable && !expired.includes(letter));
    if (!care.autoRedrive || retryable.length === 0) return;
    try {
      await this.options.dependencyHealthy();
    } catch {
      return; // still down: the dead letters wait, and the depth alert says so
    }
    const redriven = await ledger.redrive(producer, { ids: retryable.map((letter) => letter.id) }, { perSecond: care.redrivePerSecond, by: 'auto-redrive', now });
    metrics.redriven.inc({ consumer, trigger: 'auto' }, redriven.length);
    metrics.deadLetterDepth.set({ consumer, topic: ledger.topic }, waiting.length - expired.length - redriven.length);
    logger.info({ count: redriven.length, redriveTopic: ledger.redriveTopic }, 'dependency healthy again: redrove retryable dead letters');
  }

  private async refreshLag(): Promise<void> {
    const { kafka, sourceTopics, groupId, metrics, consumer } = this.options;
    for (const topic of sourceTopics) {
      const progress = await kafka.partitionProgress(topic, groupId);
      const lag = progress.reduce((sum, p) => sum + (p.end > p.committed ? p.end - p.committed : 0n), 0n);
      metrics.lag.set({ consumer, topic }, Number(lag));
    }
  }
}
