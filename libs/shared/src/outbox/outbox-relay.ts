import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/index.js';
import type { DatabaseSettings } from '../database/index.js';
import type { MessageProducer, OutgoingMessage } from '../messaging/index.js';
import { ServiceMetrics } from '../observability/index.js';
import {
  FIRST_BACKOFF_MS,
  MAX_BACKOFF_MS,
  OUTBOX_OPTIONS,
  OUTBOX_PRODUCER,
  type ResolvedOutboxOptions,
} from './outbox-options.js';
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
 * batch is sent (see publishBacklog). A crash between a send and its UPDATE sends the unmarked
 * batches again after restart; consumers drop the copies by eventId (inbox). A send that fails stops
 * there: the rows before it are marked, none after it is sent.
 *
 * **Woken by NOTIFY**, which `Outbox.append` issues in the writer's transaction, and polling as a
 * fallback (see OutboxOptions.pollIntervalMs).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly table: OutboxTable;
  private readonly lockKey: string;
  private readonly metrics: OutboxRelayMetrics;
  /**
   * Article 4's pitfall switch (workshop only, enforced by resolveOutboxOptions): every instance
   * publishes without the lock, under a random key, through a producer with several requests in
   * flight, so one aggregate's events spread over partitions and over instances, and arrive out of
   * order.
   */
  private readonly naive: boolean;
  private leader = false;
  private stopping?: AbortController;
  private loop?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    // The OrderedProducer; in naive publishing the UnorderedProducer (see OutboxModule).
    @Inject(OUTBOX_PRODUCER) private readonly producer: MessageProducer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OUTBOX_OPTIONS) private readonly options: ResolvedOutboxOptions,
    serviceMetrics: ServiceMetrics,
  ) {
    this.table = new OutboxTable(options.table, options.publishedRows);
    this.lockKey = this.table.leaderLockKey(options.producer.name);
    this.naive = options.publishing === 'naive';
    this.metrics = new OutboxRelayMetrics(serviceMetrics, options.table, () => this.sampleBacklog(), () => clock.now());
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
    if (this.loop) return;
    if (this.naive) this.logger.warn(`outbox ${this.options.table}: NAIVE publishing (workshop, article 4): random keys, no leader lock`);
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
  }

  /** Lets the batch in hand finish, then closes the connection, which hands the lock over. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = undefined;
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

  /** Retries the lock until it is ours (true) or the relay stops (false). Naive relays skip it. */
  private async awaitLeadership(connection: RelayConnection, signal: AbortSignal): Promise<boolean> {
    if (this.naive) return true;
    let announced = false;
    while (!signal.aborted) {
      if (await connection.tryLock(this.lockKey)) return true;
      if (!announced) this.logger.log(`outbox relay for ${this.options.table} stands by: another instance publishes`);
      announced = true;
      await sleep(this.options.leaderRetryMs, undefined, { signal }).catch(() => undefined);
    }
    return false;
  }

  private async publishWhileLeading(connection: RelayConnection, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.publishBacklog(connection, signal);
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
   * Publishes the backlog, batch after batch in id order, until a batch comes back short or the
   * relay stops.
   *
   * Pipelined (reading, sending and marking one after another would hold the relay to about 0.35× a
   * bare producer, docs/performance.md): while batch N is with Kafka, this session runs ONE statement that marks batch N-1
   * published and reads batch N+1 (one round trip and one commit per batch instead of two). What
   * keeps article 4's guarantees:
   * - **Order**: sends are one at a time, each awaited, through the ordered producer (one
   *   request in flight), and batch N+1 is sent only after Kafka acknowledged batch N. Batch N+1 is
   *   read with N's and N-1's ids excluded, not "after N's last id", so a row committed late with a
   *   lower id is still found.
   * - **At least once, never lost**: a row is marked only after Kafka acknowledged it, and batch N+1
   *   is sent only once the statement marking N-1 has committed; if a mark fails or the relay dies,
   *   the unmarked batches (at most the two last sent) are read and sent again, in id order, and
   *   consumers drop the copies by eventId (inbox).
   * - **One publisher**: every read and mark still runs on the session holding the leader lock.
   */
  private async publishBacklog(connection: RelayConnection, signal: AbortSignal): Promise<void> {
    const limit = this.options.batchSize;
    // Acknowledged by Kafka and not yet in a marking statement.
    let unmarked: string[] = [];
    // The statement carrying the latest mark: a read-ahead, or a mark alone after a short batch.
    let marking: Promise<unknown> | undefined;
    let next: Promise<PendingRow[]> | undefined = awaitedLater(connection.pendingRows(this.table.selectPending(limit)));
    try {
      while (next && !signal.aborted) {
        const rows: PendingRow[] = await next;
        next = undefined;
        marking = undefined;
        if (rows.length === 0) break;
        const marks = unmarked;
        unmarked = [];
        if (rows.length === limit) {
          // A full batch suggests more: read the next one (and mark the previous one) during the send.
          next = awaitedLater(this.markAndReadAhead(connection, marks, rows));
          marking = next;
        } else if (marks.length > 0) {
          // A short batch ends the pass (NOTIFY starts the next): only the previous batch to mark.
          marking = awaitedLater(this.markPublished(connection, marks));
        }
        const sent: string[] = [];
        try {
          await this.sendInOrder(rows, sent, signal);
        } finally {
          // Also after a failed send: what Kafka acknowledged is marked, the rest waits for the retry.
          unmarked = sent;
        }
        if (sent.length < rows.length) break;
      }
    } finally {
      // The read-ahead is dropped if unused (the next pass reads those rows again); its mark is kept.
      if (marking) await marking;
      if (unmarked.length > 0) await this.markPublished(connection, unmarked);
    }
  }

  /** Sends `rows` in id order, one send per run of one topic, pushing each acknowledged row's id to `sent`. */
  private async sendInOrder(rows: readonly PendingRow[], sent: string[], signal: AbortSignal): Promise<void> {
    for (const run of runsOfOneTopic(rows)) {
      if (signal.aborted) return;
      await this.producer.send(run.topic, run.rows.map((row) => this.toMessage(row)));
      sent.push(...run.rows.map((row) => row.id));
    }
  }

  /** Marks `marks` published and reads the batch after `current`, in one statement. */
  private async markAndReadAhead(connection: RelayConnection, marks: readonly string[], current: readonly PendingRow[]): Promise<PendingRow[]> {
    const excluding = [...marks, ...current.map((row) => row.id)];
    const read = await connection.pendingRows(this.table.markPublishedAndSelectPending(marks, this.clock.now(), this.options.batchSize, excluding));
    this.metrics.countPublished(marks.length);
    return read;
  }

  private async markPublished(connection: RelayConnection, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await connection.execute(this.table.markPublished(ids, this.clock.now()));
    this.metrics.countPublished(ids.length);
  }

  private toMessage(row: PendingRow): OutgoingMessage {
    // The key decides the partition: the aggregate id keeps one aggregate's events in one partition,
    // in order. A random key (naive mode) scatters them (article 4).
    return { key: this.naive ? randomUUID() : row.aggregateId, value: row.envelope };
  }

  private becomeLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.metrics.setLeader(leader);
    const table = this.options.table;
    if (this.naive && leader) this.logger.warn(`outbox relay for ${table} publishes without the lock (naive)`);
    else if (leader) this.logger.log(`outbox relay for ${table} is now the publisher (advisory lock ${this.lockKey})`);
    else this.logger.log(`outbox relay for ${table} is no longer the publisher`);
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
    if (failures === 0) return;
    const delay = Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
    await sleep(delay, undefined, { signal }).catch(() => undefined);
  }

  private logFailure(error: unknown, failures: number, what: string): void {
    // The first failure and then every 20th: an outage must be visible without flooding the log.
    if (failures === 1 || failures % 20 === 0) {
      this.logger.warn({ err: error, failures }, `outbox relay ${what}; retrying with backoff`);
    }
  }
}

/**
 * Marks `promise` as handled now and returns it, to be awaited later: a read-ahead or a mark that
 * fails while the relay awaits a send would otherwise be an unhandled rejection, which ends the
 * process. Awaiting the returned promise still throws the failure.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Consecutive rows with the same topic: one send each, so the batch's order is kept across topics. */
function* runsOfOneTopic(rows: readonly PendingRow[]): Generator<{ topic: string; rows: PendingRow[] }> {
  let run: { topic: string; rows: PendingRow[] } | undefined;
  for (const row of rows) {
    if (run && run.topic === row.topic) {
      run.rows.push(row);
      continue;
    }
    if (run) yield run;
    run = { topic: row.topic, rows: [row] };
  }
  if (run) yield run;
}
