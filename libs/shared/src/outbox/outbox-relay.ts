import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BackgroundLoop, pauseUnlessStopped, retryPauseMs } from '../background-loop/index.js';
import type { Clock } from '../clock/index.js';
import type { DatabaseSettings } from '../database/index.js';
import type { MessageProducer, OutgoingMessage } from '../messaging/index.js';
import type { ServiceMetrics } from '../observability/index.js';
import { BacklogPublisher } from './backlog-publisher.js';
import type { ResolvedOutboxOptions } from './outbox-options.js';
import { OutboxRelayMetrics, type BacklogSample } from './outbox-relay-metrics.js';
import { OutboxTable, type PendingRow } from './outbox-table.js';
import { RelayConnection } from './relay-connection.js';

/**
 * The publishing half of the transactional outbox: sends the unpublished rows, in id order, to
 * their topics keyed by aggregate id through the ordered producer, and marks them published.
 *
 * **One publisher per service.** Two relays publishing the same rows at once can send one
 * aggregate's events in two interleaved streams, and "cancelled" overtakes "created" (article 4).
 * So every instance competes for a PostgreSQL advisory lock on its own connection (see
 * RelayConnection); the holder publishes, the others stand by and retry, and when the holder's
 * session dies PostgreSQL frees the lock and a standby takes over. Why one lock per service and not
 * one per aggregate: per-aggregate locks would let instances share the work, but every batch would
 * then be picked aggregate by aggregate (lock, read, send, mark, unlock), and a lock held across a
 * Kafka send either pins a transaction open or needs exact session-level unlocking. One publisher
 * sending batches in id order does a few thousand events/s here, more than a service writes, and a
 * standby gives the availability.
 *
 * **Never lost, never reordered, at least once.** A batch goes out as one send per run of rows with
 * the same topic, in id order, then is marked published in one UPDATE, which runs while the next
 * batch is sent (see BacklogPublisher). A crash between a send and its UPDATE sends the unmarked
 * batches again after restart; consumers drop the copies by eventId (inbox). A send that fails stops
 * there: the rows before it are marked, none after it is sent.
 *
 * **Woken by NOTIFY**, which `Outbox.append` issues in the writer's transaction, and polling as a
 * fallback (see OutboxOptions.pollIntervalMs).
 */
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(OutboxRelay.name);
  private readonly table: OutboxTable;
  private readonly lockKey: string;
  private readonly metrics: OutboxRelayMetrics;
  private readonly publisher: BacklogPublisher;
  private leader = false;
  private readonly loop = new BackgroundLoop((signal) => this.run(signal));

  constructor(
    private readonly dataSource: DataSource,
    // The service's OrderedProducer (see OutboxModule).
    producer: MessageProducer,
    clock: Clock,
    protected readonly options: ResolvedOutboxOptions,
    serviceMetrics: ServiceMetrics,
  ) {
    this.table = new OutboxTable(options.table, options.publishedRows);
    this.lockKey = this.table.leaderLockKey(options.producer.name);
    this.metrics = new OutboxRelayMetrics(serviceMetrics, options.table, () => this.sampleBacklog(), () => clock.now());
    const { table, metrics } = this;
    this.publisher = new BacklogPublisher({ table, producer, toMessage: (row) => this.toMessage(row), batchSize: options.batchSize, clock, metrics });
  }

  /** True while this instance holds the lock and publishes. */
  get isLeader(): boolean {
    return this.leader;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Runs before the database and Kafka connections close: the loop must finish first. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.loop.start();
  }

  /** Lets the batch in hand finish, then closes the connection, which hands the lock over. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Reconnects after losing the connection, with backoff; every new connection starts as a standby. */
  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.serve(signal, () => (failures = 0));
      } catch (error) {
        failures += 1;
        this.logFailure(error, failures, 'has no PostgreSQL connection');
      }
      this.becomeLeader(false);
      await this.backoff(failures, signal);
    }
  }

  /** One connection's life: stand by until the lock is ours, then publish until stopped or cut off. */
  private async serve(signal: AbortSignal, connected: () => void): Promise<void> {
    const connection = await RelayConnection.open(this.databaseSettings(), `${this.options.producer.name}-outbox-relay`);
    try {
      connected();
      if (!(await this.awaitLeadership(connection, signal))) return;
      await connection.listen(this.table.channel);
      this.becomeLeader(true);
      await this.publishWhileLeading(connection, signal);
    } finally {
      await connection.close();
    }
  }

  /** Retries the lock until it is ours (true) or the relay stops (false). */
  protected async awaitLeadership(connection: RelayConnection, signal: AbortSignal): Promise<boolean> {
    let announced = false;
    while (!signal.aborted) {
      if (await connection.tryLock(this.lockKey)) return true;
      if (!announced) this.logger.log(`outbox relay for ${this.options.table} stands by: another instance publishes`);
      announced = true;
      await pauseUnlessStopped(this.options.leaderRetryMs, signal);
    }
    return false;
  }

  private async publishWhileLeading(connection: RelayConnection, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.publisher.publishBacklog(connection, signal);
        if (failures > 0) this.logger.log(`outbox relay recovered after ${failures} failed attempts`);
        failures = 0;
      } catch (error) {
        // Without its session this relay may no longer hold the lock: start over as a standby.
        if (!connection.isOpen) throw error;
        failures += 1;
        this.logFailure(error, failures, 'could not publish');
      }
      // A pass ends on a short batch: wait for the next NOTIFY (or the poll).
      if (failures > 0) await this.backoff(failures, signal);
      else await connection.waitForNotification(this.options.pollIntervalMs, signal);
    }
  }

  /**
   * The key decides the partition: the aggregate id keeps one aggregate's events in one partition,
   * in order (article 4).
   */
  protected toMessage(row: PendingRow): OutgoingMessage {
    return { key: row.aggregateId, value: row.envelope };
  }

  private becomeLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.metrics.setLeader(leader);
    if (leader) this.announceLeadership();
    else this.logger.log(`outbox relay for ${this.options.table} is no longer the publisher`);
  }

  protected announceLeadership(): void {
    this.logger.log(`outbox relay for ${this.options.table} is now the publisher (advisory lock ${this.lockKey})`);
  }

  private async sampleBacklog(): Promise<BacklogSample> {
    const { text, values } = this.table.backlog();
    const [row] = (await this.dataSource.query(text, values)) as { rows: number; oldest: Date | null }[];
    return { rows: row?.rows ?? 0, oldest: row?.oldest ?? null };
  }

  /** The relay connects where the service's pool does, with its own session (see RelayConnection). */
  private databaseSettings(): DatabaseSettings {
    const options = this.dataSource.options;
    if (options.type !== 'postgres') throw new Error(`the outbox relay needs PostgreSQL, not ${options.type}`);
    const { host = 'localhost', port = 5432, database = '', username = '', password } = options;
    return { host, port, database, username, password: typeof password === 'string' ? password : '' };
  }

  private async backoff(failures: number, signal: AbortSignal): Promise<void> {
    if (failures > 0) await pauseUnlessStopped(retryPauseMs(failures), signal);
  }

  private logFailure(error: unknown, failures: number, what: string): void {
    // The first failure and then every 20th: an outage must be visible without flooding the log.
    if (failures === 1 || failures % 20 === 0) {
      this.logger.warn({ err: error, failures }, `outbox relay ${what}; retrying with backoff`);
    }
  }
}
