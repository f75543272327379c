import { pauseUnlessStopped } from '../background-loop/index.js';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { lastValueFrom } from 'rxjs';
import type { DecodedEvent } from '../contracts/index.js';
import type { DeadLetterLedger, DeadLetterMonitor, RetryTopics } from '../dead-letter/index.js';
import type { BatchRunner } from './batch-runner.js';
import type { ConsumedEventContext } from './consumed-event-context.js';
import type { ConsumedEventPipeline } from './consumed-event-pipeline.js';
import type { EventConsumerOptions } from './event-consumer-options.js';
import type { KafkaClient } from './kafka-client.js';
import { OffsetCommitter } from './offset-committer.js';
import type { PeriodicChecks } from './periodic-checks.js';
import type { RetryTopicPacer } from './retry-topic-pacer.js';
import type { SteadyConsumption } from './steady-consumption.js';

/** What one consumer is made of; EventConsumerFactory builds it. */
export interface EventConsumerParts {
  options: EventConsumerOptions;
  groupId: string;
  kafka: KafkaClient;
  /** The consumer's own logger (its name on every line). */
  logger: Logger;
  /** Aborted by `close`; the runner, the retrying processor and the checks watch its signal. */
  stopping: AbortController;
  pipeline: ConsumedEventPipeline;
  runner: BatchRunner;
  pacer: RetryTopicPacer;
  checks: PeriodicChecks;
  /** Fed by every fetch; the gap sweep counts the hold bound in its time. */
  consumption: SteadyConsumption;
  retryTopics: RetryTopics;
  deadLetterLedger: DeadLetterLedger;
  deadLetterMonitor: DeadLetterMonitor;
  /** Warnings logged each time the consumer has started, e.g. that a workshop switch is on. */
  notices: readonly string[];
}

/** After a failed start (Kafka down), the next attempt waits this long, doubling up to 30 s. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * A `@nestjs/microservices` transport over our kafkajs adapter: the app's `@EventPattern(type)`
 * handlers are called through the ConsumedEventPipeline (decode, inbox, ordering guard, one
 * transaction), and each partition's offset is committed only after its record was applied or
 * safely dead-lettered. Why not the built-in Kafka transport: docs/decisions/0004.
 *
 * This class is the consumer's lifecycle: start (retried while Kafka is down), stop, and a fresh
 * Kafka consumer after a crash kafkajs does not recover from. The batches go to the BatchRunner,
 * retry topics are paced by the RetryTopicPacer, the sweep and the dead-letter check run in
 * PeriodicChecks. Records of one partition are applied in order, one run after another, with one
 * partition in flight (`partitionsConsumedConcurrently: 1`), so one aggregate's events are never
 * applied concurrently (article 4).
 */
export class EventConsumerTransport extends Server implements CustomTransportStrategy {
  readonly options: EventConsumerOptions;
  private readonly log: Logger;
  private consumer?: Consumer;
  /** Aborted when the service stops or this consumer crashed and was replaced. */
  private consumerLifetime?: AbortController;
  private offsets?: OffsetCommitter;
  private starting?: Promise<void>;
  private readonly consuming: Promise<void>;
  private markConsuming: () => void = () => undefined;

  constructor(private readonly parts: EventConsumerParts) {
    super();
    this.options = parts.options;
    this.log = parts.logger;
    this.consuming = new Promise((resolve) => (this.markConsuming = resolve));
  }

  get pipeline(): ConsumedEventPipeline {
    return this.parts.pipeline;
  }

  get retryTopics(): RetryTopics {
    return this.parts.retryTopics;
  }

  get deadLetterLedger(): DeadLetterLedger {
    return this.parts.deadLetterLedger;
  }

  get deadLetterMonitor(): DeadLetterMonitor {
    return this.parts.deadLetterMonitor;
  }

  get deadLetterTopic(): string {
    return this.parts.deadLetterLedger.topic;
  }

  /**
   * Returns at once and connects in the background, retrying: like the readiness probe, a consumer
   * whose Kafka is down must not keep the service (and its HTTP API) from starting.
   */
  listen(callback: () => void): void {
    this.starting = this.startWithRetries(this.parts.stopping.signal);
    callback();
  }

  /** Resolves once the group has joined and fetched: tests wait for it before producing. */
  whenConsuming(): Promise<void> {
    return this.consuming;
  }

  /** Lets the record in hand finish (kafkajs waits for eachBatch), then leaves the group. */
  async close(): Promise<void> {
    this.parts.stopping.abort();
    this.parts.checks.stop();
    this.parts.consumption.interrupted();
    this.parts.pacer.stop();
    await this.starting;
    await this.parts.checks.idle();
    await this.offsets?.flush();
    await this.consumer?.disconnect();
  }

  /** Runs the dead-letter check now (see PeriodicChecks.monitor). */
  monitor(): Promise<void> {
    return this.parts.checks.monitor();
  }

  on(): never {
    throw new Error('EventConsumerTransport has no events to subscribe to; use its metrics and logs');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** Hands `event` to the app's `@EventPattern` handler for its type; false when it has none. */
  async invoke(event: DecodedEvent, context: ConsumedEventContext): Promise<boolean> {
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return false;
    // Nest returns the handler's result (or its exception filters' error) as a value, a promise or
    // an observable; waiting for it to finish keeps the handler inside the transaction.
    const result: unknown = await handler(event, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    return true;
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
        await pauseUnlessStopped(delay, signal);
      }
    }
  }

  /**
   * kafkajs restarts a crashed consumer by itself only when the error is retriable. Some are not but
   * still only mean "the group moved on": after a broker restart the coordinator no longer knows
   * this member, and a consumer left stopped would let its events pile up unapplied while the
   * service goes on answering /ready. Every such crash starts a fresh consumer in the same group,
   * with the same backoff as the first start; the inbox makes the redelivery harmless.
   */
  private async restartAfterCrash(crashed: Consumer, error: Error): Promise<void> {
    if (this.consumer !== crashed) return;
    this.log.error({ err: error }, `consumer ${this.options.name} crashed and kafkajs will not restart it; starting a new one`);
    this.parts.checks.stop();
    this.parts.consumption.interrupted();
    // Its offset commits would fail for ever: the new consumer commits from where the group stands.
    this.consumerLifetime?.abort();
    await crashed.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.starting = this.startWithRetries(this.parts.stopping.signal);
  }

  private async start(signal: AbortSignal): Promise<void> {
    const { kafka, groupId, retryTopics, deadLetterLedger, pipeline, runner, checks, consumption } = this.parts;
    // The dead-letter topic must exist before the first record can fail: a DLQ write that waits for
    // topic auto-creation (if the broker allows it at all) would stall the partition.
    // The same holds for the retry and redrive topics and the dead-letter ledger's companions.
    await kafka.ensureTopics(
      [this.deadLetterTopic, deadLetterLedger.resolutionsTopic, deadLetterLedger.archiveTopic, ...retryTopics.all].map((topic) => ({
        topic,
        numPartitions: 1,
      })),
    );
    await pipeline.refreshHeldGauge();
    if (signal.aborted) return;
    const consumer = kafka.createConsumer(groupId);
    this.consumer = consumer;
    const lifetime = new AbortController();
    signal.addEventListener('abort', () => lifetime.abort(), { once: true });
    this.consumerLifetime = lifetime;
    const session = { consumer, offsets: new OffsetCommitter(consumer, this.log, lifetime.signal) };
    this.offsets = session.offsets;
    consumer.on(consumer.events.FETCH, () => {
      consumption.fetched();
      this.markConsuming();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && !signal.aborted) void this.restartAfterCrash(consumer, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics, ...retryTopics.all], fromBeginning: true });
    await consumer.run({
      // The offset is committed by hand, after the records' transaction committed (article 3).
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => runner.run(session, payload),
    });
    checks.start();
    this.log.info({ topics: this.options.topics, groupId }, `consumer ${this.options.name} started`);
    for (const notice of this.parts.notices) this.log.warn(notice);
  }
}
