import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, type Admin, type Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaLogLevelFor, pinoLogCreator } from './kafka-log-bridge.js';
import type { KafkaSettings, TopicSpec } from './kafka-settings.js';
import { OrderedProducer, type MessageProducer } from './ordered-producer.js';
import { ProducerConnection } from './producer-connection.js';
import { readTopic, type ReadTopicOptions, type StoredRecord } from './topic-reader.js';
import { TopicWatcher } from './topic-watcher.js';

/** Where a consumer group stands in one partition; `end - committed` records are still to read. */
export interface PartitionProgress {
  partition: number;
  end: bigint;
  committed: bigint;
}

/** A consumer group as the cluster describes it, with where it stands in each topic it committed on. */
export interface ConsumerGroupOffsets {
  groupId: string;
  /** Kafka's group state: `Stable` while members consume, `Empty` when none runs, `PreparingRebalance`… */
  state: string;
  members: number;
  topics: { topic: string; partitions: (PartitionProgress & { start: bigint })[] }[];
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
   * A producer with the delivery settings given, for code that shows what other settings than the
   * ordered producer's get wrong (article 4's workshop). Services publish through the ordered one.
   */
  createProducer(delivery: { idempotent: boolean; maxInFlightRequests: number }): MessageProducer {
    const producer = new ProducerConnection(this.kafka.producer({ ...delivery, createPartitioner: Partitioners.DefaultPartitioner }));
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

  /**
   * Every consumer group `include` accepts, with its state, its members and, per partition of each
   * topic it has committed on, its committed offset against the partition's first and end offsets.
   * An operator's question ("who is behind, and by how much?"), asked through the admin API only.
   */
  async consumerGroupOffsets(include: (groupId: string) => boolean): Promise<ConsumerGroupOffsets[]> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const groupIds = (await admin.listGroups()).groups.filter((group) => group.protocolType === 'consumer' || group.protocolType === '').map((group) => group.groupId).filter(include);
      if (groupIds.length === 0) return [];
      const { groups } = await admin.describeGroups(groupIds);
      const topicOffsets = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
      const offsetsOf = (topic: string) => {
        let offsets = topicOffsets.get(topic);
        if (!offsets) {
          offsets = admin.fetchTopicOffsets(topic);
          topicOffsets.set(topic, offsets);
        }
        return offsets;
      };
      return await Promise.all(
        groups.map(async (group) => {
          const committed = await admin.fetchOffsets({ groupId: group.groupId });
          const topics = await Promise.all(
            committed.map(async ({ topic, partitions }) => {
              const ends = await offsetsOf(topic);
              const at = new Map(partitions.map((p) => [p.partition, BigInt(p.offset)]));
              return {
                topic,
                partitions: ends.map(({ partition, high, low }) => {
                  // -1 is "nothing committed": the group would start at the first retained offset.
                  const offset = at.get(partition) ?? -1n;
                  return { partition, end: BigInt(high), start: BigInt(low), committed: offset < 0n ? BigInt(low) : offset };
                }),
              };
            }),
          );
          return { groupId: group.groupId, state: group.state, members: group.members.length, topics };
        }),
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** The names of the topics the cluster has. */
  async listTopics(): Promise<string[]> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
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
   * Each topic's end offsets as one string (`<partition>:<end>,…`; empty for a topic that does not
   * exist): equal strings mean nothing was written in between, so a reader can keep what it read.
   */
  async topicEnds(topics: readonly string[]): Promise<Map<string, string>> {
    const admin = this.kafka.admin({ retry: { retries: 1 } });
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const ends = new Map<string, string>();
      for (const topic of topics) {
        if (!existing.has(topic)) {
          ends.set(topic, '');
          continue;
        }
        const offsets = await admin.fetchTopicOffsets(topic);
        ends.set(topic, offsets.map(({ partition, high }) => `${partition}:${high}`).sort().join(','));
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
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
   * `from`) up to its end at the time of the call (see topic-reader.ts).
   */
  readTopic(topic: string, options: ReadTopicOptions = {}): Promise<StoredRecord[]> {
    return readTopic(this.kafka, `${this.clientId}-read-${randomUUID()}`, topic, options);
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
