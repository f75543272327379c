import { setTimeout as sleep } from 'node:timers/promises';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import type { DecodedEvent } from '../contracts/index.js';
import type { SourceRecord } from '../ordering-guard/index.js';
import type { ConsumedEventContext } from './consumed-event-context.js';
import { ConsumedEventPipeline } from './consumed-event-pipeline.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import { DeadLetterLedger } from './dead-letter-ledger.js';
import { DEFAULT_DEAD_LETTER_CARE, DeadLetterMonitor } from './dead-letter-monitor.js';
import { DeadLetterPublisher } from './dead-letter-publisher.js';
import { EVENT_CONSUMER_DEFAULTS, sweepIntervalFor, type EventConsumerOptions } from './event-consumer-options.js';
import { DEFAULT_FAILURE_POLICY, validFailurePolicy, type FailurePolicy } from './failure-policy.js';
import type { KafkaClient } from './kafka-client.js';
import type { OrderedProducer } from './ordered-producer.js';
import { RetryTopics, originOf } from './retry-topics.js';
import { RetryingRecordProcessor } from './retrying-record-processor.js';
import { OffsetCommitter } from './offset-committer.js';

/** What the transport takes from the running app (see startService). */
export interface EventConsumerDependencies {
  kafka: KafkaClient;
  producer: OrderedProducer;
  dataSource: DataSource;
  metrics: ConsumerMetrics;
  clock: Clock;
  logger: Logger;
  /** The service's build version, stamped on its dead letters. */
  version: string;
}

/** After a failed start (Kafka down), the next attempt waits this long, doubling up to 30 s. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * The most records of one partition applied in one transaction (ADR 0012). Enough that the durable
 * commit and the offset commit, once per run, are a small share of the run (a record costs about
 * 0.4 ms in a run against 1.2 ms alone, here); few enough that a run rolled back by one bad record
 * (its records then taken one at a time) or redelivered after a crash stays short, and that the
 * checkpoint locks a run holds, one per aggregate in it, are held for tens of milliseconds at most.
 */
const MAX_RECORDS_PER_TRANSACTION = 100;

/**
 * A `@nestjs/microservices` transport over our kafkajs adapter: the app's `@EventPattern(type)`
 * handlers are called through the ConsumedEventPipeline (decode, inbox, ordering guard, one
 * transaction), and each partition's offset is committed only after its record was applied or
 * safely dead-lettered. Why not the built-in Kafka transport: docs/decisions/0004.
 *
 * Records of one partition are applied in order, one run after another, with one partition in
 * flight (`partitionsConsumedConcurrently: 1`), so one aggregate's events are never applied
 * concurrently (article 4).
 */
export class EventConsumerTransport extends Server implements CustomTransportStrategy {
  readonly pipeline: ConsumedEventPipeline;
  readonly retryTopics: RetryTopics;
  readonly deadLetterLedger: DeadLetterLedger;
  readonly deadLetterMonitor: DeadLetterMonitor;
  private readonly processor: RetryingRecordProcessor;
  private readonly failurePolicy: FailurePolicy;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly groupId: string;
  private readonly log: Logger;
  private consumer?: Consumer;
  /** Aborted when the service stops or this consumer crashed and was replaced. */
  private consumerLifetime?: AbortController;
  private offsets?: OffsetCommitter;
  private stopping = new AbortController();
  private starting?: Promise<void>;
  private sweeping?: Promise<void>;
  private sweepTimer?: NodeJS.Timeout;
  private monitorTimer?: NodeJS.Timeout;
  private monitoring?: Promise<void>;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly consuming: Promise<void>;
  private markConsuming: () => void = () => undefined;

  constructor(
    readonly options: EventConsumerOptions,
    private readonly dependencies: EventConsumerDependencies,
  ) {
    super();
    this.groupId = options.groupId ?? options.name;
    this.log = dependencies.logger.child({ consumer: options.name });
    this.deadLetters = new DeadLetterPublisher(dependencies.producer, options.deadLetterTopic ?? `${this.groupId}.dlq`, {
      name: options.name,
      version: dependencies.version,
    });
    this.pipeline = new ConsumedEventPipeline({
      consumer: { name: options.name, version: dependencies.version },
      dataSource: dependencies.dataSource,
      decode: options.decode ?? EVENT_CONSUMER_DEFAULTS.decode,
      invoke: (event, context) => this.invoke(event, context),
      deadLetters: this.deadLetters,
      metrics: dependencies.metrics,
      clock: dependencies.clock,
      holdBoundMs: this.holdBoundMs,
      ordering: options.ordering ?? EVENT_CONSUMER_DEFAULTS.ordering,
      failures: options.failures ?? 'policy',
      logger: this.log,
    });
    this.failurePolicy = validFailurePolicy(options.name, { ...DEFAULT_FAILURE_POLICY, ...options.failurePolicy });
    this.retryTopics = new RetryTopics(this.groupId, this.failurePolicy.retryDelaysMs);
    this.processor = new RetryingRecordProcessor({
      consumer: options.name,
      pipeline: this.pipeline,
      policy: this.failurePolicy,
      retryTopics: this.retryTopics,
      producer: dependencies.producer,
      deadLetters: this.deadLetters,
      metrics: dependencies.metrics,
      clock: dependencies.clock,
      logger: this.log,
      signal: this.stopping.signal,
    });
    this.deadLetterLedger = new DeadLetterLedger(dependencies.kafka, this.deadLetterTopic);
    this.deadLetterMonitor = new DeadLetterMonitor({
      consumer: options.name,
      groupId: this.groupId,
      sourceTopics: options.topics,
      ledger: this.deadLetterLedger,
      kafka: dependencies.kafka,
      producer: dependencies.producer,
      metrics: dependencies.metrics,
      clock: dependencies.clock,
      care: this.deadLetterCare,
      dependencyHealthy: async () => {
        await dependencies.dataSource.query('select 1');
      },
      logger: this.log,
    });
    this.consuming = new Promise((resolve) => (this.markConsuming = resolve));
  }

  get deadLetterCare() {
    return { ...DEFAULT_DEAD_LETTER_CARE, ...this.options.deadLetterCare };
  }

  get deadLetterTopic(): string {
    return this.deadLetters.topic;
  }

  get holdBoundMs(): number {
    return this.options.holdBoundMs ?? EVENT_CONSUMER_DEFAULTS.holdBoundMs;
  }

  /**
   * Returns at once and connects in the background, retrying: like the readiness probe, a consumer
   * whose Kafka is down must not keep the service (and its HTTP API) from starting.
   */
  listen(callback: () => void): void {
    this.starting = this.startWithRetries(this.stopping.signal);
    callback();
  }

  /** Resolves once the group has joined and fetched: tests wait for it before producing. */
  whenConsuming(): Promise<void> {
    return this.consuming;
  }

  /** Lets the record in hand finish (kafkajs waits for eachMessage), then leaves the group. */
  async close(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.sweepTimer);
    clearInterval(this.monitorTimer);
    for (const timer of this.resumeTimers) clearTimeout(timer);
    await this.starting;
    await this.sweeping;
    await this.monitoring;
    await this.offsets?.flush();
    await this.consumer?.disconnect();
  }

  on(): never {
    throw new Error('EventConsumerTransport has no events to subscribe to; use its metrics and logs');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async startWithRetries(signal: AbortSignal): Promise<void> {
    for (let delay = FIRST_RETRY_MS; !signal.aborted; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        await this.start(signal);
        return;
      } catch (error) {
        this.log.warn({ err: error, retryInMs: delay }, `consumer ${this.options.name} could not start; retrying`);
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /**
   * kafkajs restarts a crashed consumer by itself only when the error is retriable. Some are not but
   * still only mean "the group moved on": after a broker restart, the coordinator no longer knows
   * this member, and the consumer stopped for good while the service went on answering /ready — its
   * events piled up unapplied (the chaos suite, issue 8). Every such crash starts a fresh consumer in
   * the same group, with the same backoff as the first start; the inbox makes the redelivery harmless.
   */
  private async restartAfterCrash(crashed: Consumer, error: Error): Promise<void> {
    if (this.consumer !== crashed) return;
    this.log.error({ err: error }, `consumer ${this.options.name} crashed and kafkajs will not restart it; starting a new one`);
    clearInterval(this.sweepTimer);
    clearInterval(this.monitorTimer);
    // Its offset commits would fail for ever: the new consumer commits from where the group stands.
    this.consumerLifetime?.abort();
    await crashed.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.starting = this.startWithRetries(this.stopping.signal);
  }

  private async start(signal: AbortSignal): Promise<void> {
    const { kafka } = this.dependencies;
    // The dead-letter topic must exist before the first record can fail: a DLQ write that waits for
    // topic auto-creation (if the broker allows it at all) would stall the partition.
    // The same holds for the retry and redrive topics and the dead-letter ledger's companions.
    await kafka.ensureTopics(
      [this.deadLetterTopic, this.deadLetterLedger.resolutionsTopic, this.deadLetterLedger.archiveTopic, ...this.retryTopics.all].map(
        (topic) => ({ topic, numPartitions: 1 }),
      ),
    );
    await this.pipeline.refreshHeldGauge();
    if (signal.aborted) return;
    const consumer = kafka.createConsumer(this.groupId);
    this.consumer = consumer;
    const lifetime = new AbortController();
    signal.addEventListener('abort', () => lifetime.abort(), { once: true });
    this.consumerLifetime = lifetime;
    this.offsets = new OffsetCommitter(consumer, this.log, lifetime.signal);
    const removeListener = consumer.on(consumer.events.FETCH, () => {
      removeListener();
      this.markConsuming();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && !signal.aborted) void this.restartAfterCrash(consumer, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics, ...this.retryTopics.all], fromBeginning: true });
    await consumer.run({
      // The offset is committed by hand, after the records' transaction committed (article 3).
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.consumeBatch(consumer, payload),
    });
    this.sweepTimer = setInterval(() => void this.sweep(), sweepIntervalFor(this.holdBoundMs));
    this.monitorTimer = setInterval(() => {
      if (!this.monitoring) void this.monitor();
    }, this.deadLetterCare.checkIntervalMs);
    this.log.info({ topics: this.options.topics, groupId: this.groupId }, `consumer ${this.options.name} started`);
    if (this.options.ordering === 'naive') {
      this.log.warn(`consumer ${this.options.name}: NAIVE ordering (workshop, article 4): events applied as they arrive, no ordering guard`);
    }
    if (this.options.failures === 'naive') {
      this.log.warn(`consumer ${this.options.name}: NAIVE failure handling (workshop, article 3): failed records are skipped`);
    }
  }

  /**
   * One partition's fetched records, in order. Source records go in runs of up to
   * MAX_RECORDS_PER_TRANSACTION through `pipeline.processBatch`, one transaction per run, whose
   * offset the OffsetCommitter commits behind the processing (ADR 0012). A record a run cannot take
   * (undecodable), every record of a run whose transaction failed, retry-topic records and the
   * workshop switches go one at a time through the failure policy, as before batching. Either way an offset is committed only after everything up
   * to it was applied or safely dead-lettered; a crash in between redelivers records the inbox and
   * the ordering guard then recognise (article 3).
   */
  private async consumeBatch(consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const records = batch.messages.map((message) => toSourceRecord(topic, partition, message));
    const oneByOne = this.options.failures === 'naive' || this.options.ordering === 'naive' || this.retryTopics.stageOf(topic) !== undefined;
    const handled = async (upTo: SourceRecord) => {
      resolveOffset(upTo.offset);
      this.offsets?.handled(topic, partition, upTo.offset);
      // Stopping: kafkajs leaves the group once this batch returns, so the last commit goes first.
      if (this.stopping.signal.aborted) await this.offsets?.flush();
      await heartbeat();
    };
    for (let next = 0; next < records.length && isRunning() && !isStale(); ) {
      const run = oneByOne ? [] : records.slice(next, next + MAX_RECORDS_PER_TRANSACTION);
      let applied = 0;
      let alone = 1;
      try {
        applied = run.length > 0 ? (await this.pipeline.processBatch(run)).length : 0;
      } catch (error) {
        // Nothing of the run was applied; its records get the failure policy one at a time.
        this.log.debug({ topic, partition, offset: run[0]?.offset, err: error }, 'batch transaction failed; applying its records one at a time');
        alone = run.length;
      }
      if (applied > 0) {
        next += applied;
        await handled(records[next - 1] as SourceRecord);
        continue;
      }
      for (const record of records.slice(next, next + alone)) {
        if (!isRunning() || isStale()) return;
        if (this.notDueYet(consumer, record)) return;
        if (this.options.failures === 'naive') await this.processOrDrop(record);
        else await this.processor.process(record);
        next += 1;
        await handled(record);
      }
    }
  }

  /**
   * WORKSHOP ONLY — article 3's naive consumer: whatever fails is logged and skipped. The offset is
   * committed as if the record had been applied, so a poison event and an event that met a database
   * outage alike are gone: no retry, no dead letter, no metric to alert on.
   */
  private async processOrDrop(record: SourceRecord): Promise<void> {
    try {
      await this.pipeline.process(record);
    } catch (error) {
      this.log.warn(
        { topic: record.topic, partition: record.partition, offset: record.offset, err: error },
        'naive consumer (workshop, article 3): processing failed; record skipped',
      );
    }
  }

  /**
   * A record at the head of a retry topic whose delay has not passed: that retry partition pauses
   * until it is due and is read again from this record (the source partitions go on meanwhile).
   * A retry topic holds one delay, so its head is always the next record due.
   */
  private notDueYet(consumer: Consumer, record: SourceRecord): boolean {
    if (this.retryTopics.stageOf(record.topic) === undefined) return false;
    const notBefore = originOf(record).notBefore;
    const waitMs = notBefore ? notBefore.getTime() - this.dependencies.clock.now().getTime() : 0;
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

  /**
   * Refreshes the dead-letter and lag metrics and runs the automatic redrive and retention; a call
   * while a check is running waits for it and then checks afresh.
   */
  async monitor(): Promise<void> {
    while (this.monitoring) await this.monitoring;
    if (this.stopping.signal.aborted) return;
    this.monitoring = this.deadLetterMonitor
      .check()
      .then(() => this.processor.refreshRetryingGauge())
      .catch((error: unknown) => this.log.warn({ err: error }, 'dead-letter check failed; retrying at the next interval'))
      .finally(() => (this.monitoring = undefined));
    await this.monitoring;
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopping.signal.aborted) return;
    this.sweeping = this.pipeline
      .deadLetterExpiredGaps()
      .then(() => undefined)
      .catch((error: unknown) => this.log.warn({ err: error }, 'ordering gap sweep failed; retrying at the next interval'))
      .finally(() => (this.sweeping = undefined));
    await this.sweeping;
  }

  private async invoke(event: DecodedEvent, context: ConsumedEventContext): Promise<boolean> {
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return false;
    // Nest returns the handler's result (or its exception filters' error) as a value, a promise or
    // an observable; waiting for it to finish keeps the handler inside the transaction.
    const result: unknown = await handler(event, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    return true;
  }
}

function toSourceRecord(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? '',
    headers,
  };
}
