import { setTimeout as sleep } from 'node:timers/promises';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import type { DecodedEvent } from '../contracts/index.js';
import type { SourceRecord } from '../ordering-guard/index.js';
import type { ConsumedEventContext } from './consumed-event-context.js';
import { ConsumedEventPipeline } from './consumed-event-pipeline.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import { DeadLetterPublisher } from './dead-letter-publisher.js';
import { EVENT_CONSUMER_DEFAULTS, sweepIntervalFor, type EventConsumerOptions } from './event-consumer-options.js';
import type { KafkaClient } from './kafka-client.js';
import type { OrderedProducer } from './ordered-producer.js';

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
 * A `@nestjs/microservices` transport over our kafkajs adapter: the app's `@EventPattern(type)`
 * handlers are called through the ConsumedEventPipeline (decode, inbox, ordering guard, one
 * transaction), and each partition's offset is committed only after its record was applied or
 * safely dead-lettered. Why not the built-in Kafka transport: docs/decisions/0004.
 *
 * Records of one partition are processed one at a time (kafkajs's `eachMessage` with one partition
 * in flight), so one aggregate's events are never applied concurrently (article 4).
 */
export class EventConsumerTransport extends Server implements CustomTransportStrategy {
  readonly pipeline: ConsumedEventPipeline;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly groupId: string;
  private readonly log: Logger;
  private consumer?: Consumer;
  private stopping = new AbortController();
  private starting?: Promise<void>;
  private sweeping?: Promise<void>;
  private sweepTimer?: NodeJS.Timeout;
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
      logger: this.log,
    });
    this.consuming = new Promise((resolve) => (this.markConsuming = resolve));
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
    await this.starting;
    await this.sweeping;
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

  private async start(signal: AbortSignal): Promise<void> {
    const { kafka } = this.dependencies;
    // The dead-letter topic must exist before the first record can fail: a DLQ write that waits for
    // topic auto-creation (if the broker allows it at all) would stall the partition.
    await kafka.ensureTopics([{ topic: this.deadLetterTopic, numPartitions: 1 }]);
    await this.pipeline.refreshHeldGauge();
    if (signal.aborted) return;
    const consumer = kafka.createConsumer(this.groupId);
    this.consumer = consumer;
    const removeListener = consumer.on(consumer.events.FETCH, () => {
      removeListener();
      this.markConsuming();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      // The offset is committed by hand, after the record's transaction committed (article 3).
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachMessage: async ({ topic, partition, message }) => {
        await this.pipeline.process(toSourceRecord(topic, partition, message));
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    this.sweepTimer = setInterval(() => void this.sweep(), sweepIntervalFor(this.holdBoundMs));
    this.log.info({ topics: this.options.topics, groupId: this.groupId }, `consumer ${this.options.name} started`);
    if (this.options.ordering === 'naive') {
      this.log.warn(`consumer ${this.options.name}: NAIVE ordering (workshop, article 4): events applied as they arrive, no ordering guard`);
    }
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
