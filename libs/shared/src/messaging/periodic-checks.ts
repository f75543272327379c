import type { Logger } from 'pino';
import type { DeadLetterMonitor, RetryingRecordProcessor } from '../dead-letter/index.js';
import type { ExpiredGapSweep } from '../ordering-guard/index.js';

export interface PeriodicChecksOptions {
  gapSweep: ExpiredGapSweep;
  deadLetterMonitor: DeadLetterMonitor;
  processor: RetryingRecordProcessor;
  /** See sweepIntervalFor: a third of the hold bound, between 100 ms and 5 s. */
  sweepIntervalMs: number;
  /** DeadLetterCare.checkIntervalMs. */
  checkIntervalMs: number;
  logger: Logger;
  /** Aborted when the consumer stops: no check starts after that. */
  stopping: AbortSignal;
}

/**
 * A consumer's two timers, running while its Kafka consumer runs: the sweep that dead-letters held
 * events whose gap did not fill in time (article 4), and the dead-letter check that refreshes the
 * dead-letter, lag and stuck-retry metrics and runs the automatic redrive and retention (article 3).
 * A failed round is logged and tried again at the next interval.
 */
export class PeriodicChecks {
  private sweepTimer?: NodeJS.Timeout;
  private monitorTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private monitoring?: Promise<void>;

  constructor(private readonly options: PeriodicChecksOptions) {}

  start(): void {
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    this.monitorTimer = setInterval(() => {
      if (!this.monitoring) void this.monitor();
    }, this.options.checkIntervalMs);
  }

  /** Stops the timers; a round already running goes on (see `idle`). */
  stop(): void {
    clearInterval(this.sweepTimer);
    clearInterval(this.monitorTimer);
  }

  /** Resolves once no round is running. */
  async idle(): Promise<void> {
    await this.sweeping;
    await this.monitoring;
  }

  /** Runs the dead-letter check now; a call while one is running waits for it and then checks afresh. */
  async monitor(): Promise<void> {
    while (this.monitoring) await this.monitoring;
    if (this.options.stopping.aborted) return;
    const { deadLetterMonitor, processor, logger } = this.options;
    this.monitoring = deadLetterMonitor
      .check()
      .then(() => processor.refreshRetryingGauge())
      .catch((error: unknown) => logger.warn({ err: error }, 'dead-letter check failed; retrying at the next interval'))
      .finally(() => (this.monitoring = undefined));
    await this.monitoring;
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.options.stopping.aborted) return;
    this.sweeping = this.options.gapSweep
      .deadLetterExpiredGaps()
      .then(() => undefined)
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'ordering gap sweep failed; retrying at the next interval'))
      .finally(() => (this.sweeping = undefined));
    await this.sweeping;
  }
}
