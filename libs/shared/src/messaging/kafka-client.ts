import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, type Admin, type Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaLogLevelFor, pinoLogCreator } from './kafka-log-bridge.js';
import type { KafkaSettings, TopicSpec } from './kafka-settings.js';
import { OrderedProducer, type MessageProducer } from './ordered-producer.js';
import { TopicWatcher } from './topic-watcher.js';
import { UnorderedProducer } from './unordered-producer.js';

/** Where a consumer group stands in one partition; `end - committed` records are still to read. */
export interface PartitionProgress {
  partition: number;
  end: bigint;
  committed: bigint;
}

/** A record read back by readTopic, with the time Kafka stored it. */
export interface StoredRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: Date;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** What a readiness probe learns from the cluster. */
export interface ClusterDescription {
  clusterId: string;
  brokers: number;
}

/**
 * The one door to Kafka. Everything kafkajs-specific — client options, the log bridge, producer
 * and admin settings — stays in this folder, so moving to another client (kafkajs has had no
 * release since 2023) changes this folder and nothing else.
 */
export class KafkaClient {
  private readonly kafka: Kafka;
  private readonly producers: MessageProducer[] = [];
  private readonly watchers: TopicWatcher[] = [];
  private readonly consumers: Consumer[] = [];
  private probeAdmin?: Promise<Admin>;

  constructor(
    readonly settings: KafkaSettings,
    readonly clientId: string,
    private readonly logger: Logger,
  ) {
    this.kafka = new Kafka({
      clientId,
      brokers: settings.brokers,
      connectionTimeout: 3_000,
      logLevel: kafkaLogLevelFor(logger),
      logCreator: pinoLogCreator(logger),
    });
  }

  /** See OrderedProducer for why these two settings matter (article 4). */
  createOrderedProducer(): OrderedProducer {
    const producer = new OrderedProducer(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // murmur2 on the key, like the Java client: the same key lands on the same partition
        // whichever client produced it.
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
    this.producers.push(producer);
    return producer;
  }

  /**
   * WORKSHOP ONLY (article 4's naive publishing; see UnorderedProducer for what it gets wrong):
   * not idempotent, five requests in flight (the Java client's default; kafkajs's own default has
   * no limit at all).
   */
  createUnorderedProducer(): UnorderedProducer {
    const producer = new UnorderedProducer(
      this.kafka.producer({
        idempotent: false,
        maxInFlightRequests: 5,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
    this.producers.push(producer);
    return producer;
  }

  /**
   * Asks the cluster who it is. Fails fast (no retries) so a readiness probe answers within its
   * timeout; after a failure the admin connection is dropped and the next call reconnects.
   */
  async describeCluster(): Promise<ClusterDescription> {
    this.probeAdmin ??= this.connectAdmin();
    try {
      const admin = await this.probeAdmin;
      const { clusterId, brokers } = await admin.describeCluster();
      return { clusterId, brokers: brokers.length };
    } catch (error) {
      const admin = this.probeAdmin;
      this.probeAdmin = undefined;
      void admin?.then((a) => a.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    if (topics.length === 0) return;
    const admin = this.kafka.admin({ retry: { retries: 3 } });
    try {
      await admin.connect();
      // Asking first keeps kafkajs from logging TOPIC_ALREADY_EXISTS as an error on every start.
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter(({ topic }) => !existing.has(topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ topic, numPartitions }) => ({ topic, numPartitions })),
      });
      this.logger.info({ topics: missing.map((t) => t.topic) }, 'created Kafka topics');
    } catch (error) {
      throw new Error(
        `could not create Kafka topics ${topics.map((t) => t.topic).join(', ')} at ${this.settings.brokers.join(',')}: ` +
          `${(error as Error).message} — is Kafka up? (\`npm run infra:up\`)`,
        { cause: error },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** A consumer on its own fresh group, for tests and scenarios; see TopicWatcher. */
  async watchTopic(topic: string): Promise<TopicWatcher> {
    const consumer = this.kafka.consumer({
      groupId: `${this.clientId}-watch-${randomUUID()}`,
      maxWaitTimeInMs: 100,
    });
    const watcher = new TopicWatcher(consumer, topic);
    this.watchers.push(watcher);
    return watcher.start();
  }

  /**
   * A consumer in `groupId` for an EventConsumerTransport. A group seen for the first time starts
   * at the beginning of its topics (set at subscribe), so events published before a service's first
   * start are not skipped.
   */
  createConsumer(groupId: string): Consumer {
    const consumer = this.kafka.consumer({ groupId });
    this.consumers.push(consumer);
    return consumer;
  }

  /**
   * Per partition of `topic`: the end offset (where the next record will be written) and the offset
   * `groupId` has committed (the partition's first retained offset when it has committed nothing).
   * For scenarios and tests that wait for a consumer to finish a backlog.
   */
  async partitionProgress(topic: string, groupId: string): Promise<PartitionProgress[]> {
    const admin = this.kafka.admin({ retry: { retries: 3 } });
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committedByPartition = new Map(committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]));
      return ends.map(({ partition, high, low }) => {
        // -1 is "nothing committed yet": the group would start at the earliest retained offset.
        const at = committedByPartition.get(partition) ?? -1n;
        return { partition, end: BigInt(high), committed: at < 0n ? BigInt(low) : at };
      });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Every record of `topic` from its first retained offset (or, per partition, from the offset in
   * `from`) up to its end at the time of the call, on a throw-away group that commits nothing. For
   * small topics a person inspects, such as a dead-letter topic (article 3), or the slice of a busy
   * topic one run wrote; a missing topic reads as empty.
   */
  async readTopic(topic: string, { timeoutMs = 30_000, from }: { timeoutMs?: number; from?: ReadonlyMap<number, bigint> } = {}): Promise<StoredRecord[]> {
    const admin = this.kafka.admin({ retry: { retries: 3 } });
    let ends: { partition: number; high: string; low: string }[];
    try {
      await admin.connect();
      if (!(await admin.listTopics()).includes(topic)) return [];
      ends = await admin.fetchTopicOffsets(topic);
    } finally {
      await admin.disconnect();
    }
    const slices = new Map(
      ends
        .map((p) => ({ partition: p.partition, start: bigMax(BigInt(p.low), from?.get(p.partition) ?? 0n), end: BigInt(p.high) }))
        .filter((p) => p.end > p.start)
        .map((p) => [p.partition, p]),
    );
    if (slices.size === 0) return [];
    const records: StoredRecord[] = [];
    const consumer = this.kafka.consumer({ groupId: `${this.clientId}-read-${randomUUID()}`, maxWaitTimeInMs: 100 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms (${records.length} records read)`)),
          timeoutMs,
        );
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          clearTimeout(timer);
          reject(payload.error);
        });
        void consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const slice = slices.get(partition);
              const offset = BigInt(message.offset);
              if (slice === undefined || offset < slice.start) return;
              if (offset < slice.end) {
                records.push({
                  topic,
                  partition,
                  offset: message.offset,
                  timestamp: new Date(Number(message.timestamp)),
                  key: message.key?.toString('utf8') ?? null,
                  value: message.value?.toString('utf8') ?? '',
                  headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
                });
              }
              if (offset + 1n >= slice.end) slices.delete(partition);
              if (slices.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          // Skip what comes before the slice instead of reading through it (seek wants a running consumer).
          .then(() => {
            for (const { partition, start } of slices.values()) if (from?.has(partition)) consumer.seek({ topic, partition, offset: String(start) });
          }, reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }

  /** Disconnects every producer, consumer, watcher and admin this client made. */
  async disconnect(): Promise<void> {
    const admin = this.probeAdmin;
    this.probeAdmin = undefined;
    await Promise.allSettled([
      ...this.producers.map((p) => p.disconnect()),
      ...this.watchers.map((w) => w.stop()),
      ...this.consumers.map((c) => c.disconnect()),
      admin?.then((a) => a.disconnect()),
    ]);
  }

  private async connectAdmin(): Promise<Admin> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    return admin;
  }
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
