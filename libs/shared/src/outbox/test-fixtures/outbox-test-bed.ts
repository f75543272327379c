import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SystemClock } from '../../clock/index.js';
import { readFaultlineEnvironment, type ServiceIdentity } from '../../config/index.js';
import { dataSourceOptions, type DatabaseSettings } from '../../database/index.js';
import { KafkaClient, type TopicWatcher } from '../../messaging/index.js';
import { ServiceMetrics, createServiceLogger } from '../../observability/index.js';
import { outboxTableStatements, requireReachable } from '../../testing/index.js';
import { NaiveOutboxRelay } from '../naive-publishing.js';
import { OutboxRelay } from '../outbox-relay.js';
import { resolveOutboxOptions, type OutboxOptions, type ResolvedOutboxOptions } from '../outbox-options.js';
import { Outbox } from '../outbox.js';

/** What a relay child process (relay-process.ts) is told, as JSON in its environment. */
export interface RelayProcessConfig {
  service: ServiceIdentity;
  database: DatabaseSettings;
  brokers: string[];
  options: Omit<OutboxOptions, 'producer'>;
}

/** One outbox table and its topic, private to one test. */
export interface TestOutbox {
  table: string;
  topic: string;
}

/**
 * The real PostgreSQL and Kafka, set up privately for one test run: a schema of its own in the
 * orders database (reached directly on the primary as the orders role, not through the Toxiproxy
 * proxy other tests cut), dropped at the end, and topics with a random name, so relay tests can run
 * beside every other suite.
 */
export class OutboxTestBed {
  private static readonly run = randomBytes(4).toString('hex');
  readonly schema = `outbox_relay_test_${OutboxTestBed.run}`;
  /**
   * The service the test relays run as. Its name keys their leader lock and names their sessions
   * (`<name>-outbox-relay`), unique per run so concurrent runs never see each other's relays.
   */
  static readonly service: ServiceIdentity = { name: `outbox-relay-test-${OutboxTestBed.run}`, version: '0.0.0' };
  private tables = 0;
  /** Rows appended per table, so "published" can be counted whether the relay marks or deletes rows. */
  private readonly appended = new Map<string, number>();

  private constructor(
    readonly database: DatabaseSettings,
    readonly dataSource: DataSource,
    readonly kafka: KafkaClient,
  ) {}

  static async open(): Promise<OutboxTestBed> {
    const env = readFaultlineEnvironment();
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    await requireReachable('Kafka', Number(env.KAFKA_PORT));
    const database: DatabaseSettings = {
      host: '127.0.0.1',
      port: Number(env.PG_PRIMARY_PORT),
      database: env.ORDERS_DB_NAME ?? 'orders',
      username: env.ORDERS_DB_USER ?? 'orders',
      password: env.ORDERS_DB_PASSWORD ?? '',
    };
    const dataSource = new DataSource({
      ...dataSourceOptions(OutboxTestBed.service.name, database, { entities: [], migrations: [] }),
      migrationsRun: false,
    });
    await dataSource.initialize();
    const kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT}`] }, OutboxTestBed.service.name, createServiceLogger(OutboxTestBed.service, 'error'));
    const bed = new OutboxTestBed(database, dataSource, kafka);
    await dataSource.query(`CREATE SCHEMA ${bed.schema}`);
    return bed;
  }

  /** A fresh outbox table (the columns and indexes of the services' migrations) and a 3-partition topic. */
  async createOutbox(): Promise<TestOutbox> {
    this.tables += 1;
    const table = `${this.schema}.outbox_${this.tables}`;
    const topic = `tests.outbox-relay-${this.schema.slice(-8)}-${this.tables}.events`;
    for (const statement of outboxTableStatements(table)) await this.dataSource.query(statement);
    await this.kafka.ensureTopics([{ topic, numPartitions: 3 }]);
    return { table, topic };
  }

  options(outbox: TestOutbox, overrides: Omit<OutboxOptions, 'producer' | 'table'> = {}): ResolvedOutboxOptions {
    return resolveOutboxOptions({ producer: OutboxTestBed.service, table: outbox.table, ...overrides }, { FAULTLINE_WORKSHOP_MODE: 'true' });
  }

  /** A relay in this process, with its own metrics registry; the caller starts and stops it. */
  relay(options: ResolvedOutboxOptions, metrics = new ServiceMetrics(OutboxTestBed.service)): OutboxRelay {
    const Relay = options.publishing === 'naive' ? NaiveOutboxRelay : OutboxRelay;
    return new Relay(this.dataSource, this.kafka.createOrderedProducer(), new SystemClock(), options, metrics);
  }

  /**
   * Appends events through `Outbox.append`, `perTransaction` to a transaction, in the order given.
   * Each is `{ aggregateId, sequence }`; the aggregate type is `widget`.
   */
  async append(outbox: TestOutbox, events: readonly AggregateEvent[], perTransaction = 50): Promise<void> {
    const writer = new Outbox(new SystemClock(), this.options(outbox));
    this.appended.set(outbox.table, (this.appended.get(outbox.table) ?? 0) + events.length);
    for (let start = 0; start < events.length; start += perTransaction) {
      await this.dataSource.transaction(async (transaction) => {
        for (const { aggregateId, sequence } of events.slice(start, start + perTransaction)) {
          await writer.append(transaction, {
            topic: outbox.topic,
            type: 'tests.widget.touched',
            schemaVersion: 1,
            aggregateType: 'widget',
            aggregateId,
            sequence,
            correlationId: 'outbox-relay-test',
            causationId: randomUUID(),
            payload: { sequence },
          });
        }
      });
    }
  }

  /** Rows appended here and no longer unpublished: marked (`published_at` set) or deleted. */
  async publishedCount(outbox: TestOutbox): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS pending FROM ${outbox.table} WHERE published_at IS NULL`)) as {
      pending: number;
    }[];
    return (this.appended.get(outbox.table) ?? 0) - (row?.pending ?? 0);
  }

  /** What a relay child process needs to publish this outbox. */
  processConfig(outbox: TestOutbox, options: RelayProcessConfig['options']): RelayProcessConfig {
    return { service: OutboxTestBed.service, database: this.database, brokers: this.kafka.settings.brokers, options: { ...options, table: outbox.table } };
  }

  async watch(outbox: TestOutbox): Promise<TopicWatcher> {
    return this.kafka.watchTopic(outbox.topic);
  }

  async close(): Promise<void> {
    await this.dataSource.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).catch(() => undefined);
    await this.dataSource.destroy();
    await this.kafka.disconnect();
  }
}

export interface AggregateEvent {
  aggregateId: string;
  sequence: number;
}

/**
 * `count` events over `aggregates` aggregates, interleaved as a busy service writes them: event i
 * belongs to aggregate i mod `aggregates`, each aggregate's sequence counting 1, 2, 3…
 */
export function interleavedEvents(count: number, aggregates: number, prefix = randomUUID().slice(0, 8)): AggregateEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    aggregateId: `${prefix}-${i % aggregates}`,
    sequence: Math.floor(i / aggregates) + 1,
  }));
}
