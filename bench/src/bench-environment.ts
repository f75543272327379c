import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import type { DatabaseSettings } from '@faultline/shared/database';
import { requireReachable } from '@faultline/shared/testing';

/** The database every benchmark's tables live in (each benchmark in a schema of its own). */
export const BENCH_DATABASE = 'faultline_bench';

/**
 * The PostgreSQL and Kafka one bench run measures on, reached directly (no Toxiproxy: a proxy in
 * the path would be measured too, and other suites cut some proxies while they run). PostgreSQL as
 * the superuser over TCP, because the bench creates its own databases; Kafka topics named after the
 * run, deleted at the end, so a run never touches another suite's data.
 */
export class BenchEnvironment {
  readonly runId = randomBytes(4).toString('hex');
  readonly kafka: Kafka;
  private readonly topics: string[] = [];

  private constructor(
    readonly env: Record<string, string | undefined>,
    readonly superuser: DatabaseSettings,
    readonly brokers: string[],
  ) {
    this.kafka = new Kafka({ clientId: `faultline-bench-${this.runId}`, brokers, logLevel: logLevel.NOTHING });
  }

  static async open(env = readFaultlineEnvironment()): Promise<BenchEnvironment> {
    const pgPort = Number(env.PG_PRIMARY_PORT);
    const kafkaPort = Number(env.KAFKA_PORT);
    await requireReachable('PostgreSQL primary', pgPort);
    await requireReachable('Kafka', kafkaPort);
    const superuser: DatabaseSettings = {
      host: '127.0.0.1',
      port: pgPort,
      database: BENCH_DATABASE,
      username: env.PG_SUPERUSER ?? 'postgres',
      password: env.PG_SUPERUSER_PASSWORD ?? '',
    };
    const bench = new BenchEnvironment(env, superuser, [`127.0.0.1:${kafkaPort}`]);
    await bench.ensureDatabase(BENCH_DATABASE);
    return bench;
  }

  /** Settings for `database` on the primary, as the superuser. */
  database(database = BENCH_DATABASE): DatabaseSettings {
    return { ...this.superuser, database };
  }

  /** A pg client on `database` (the bench database by default); the caller ends it. */
  async client(database = BENCH_DATABASE): Promise<pg.Client> {
    const client = new pg.Client(this.clientConfig(database));
    await client.connect();
    return client;
  }

  clientConfig(database = BENCH_DATABASE, searchPath?: string): pg.ClientConfig {
    const settings = this.database(database);
    return {
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user: settings.username,
      password: settings.password,
      application_name: `faultline-bench-${this.runId}`,
      options: ['-c TimeZone=UTC', searchPath ? `-c search_path=${searchPath}` : ''].join(' ').trim(),
    };
  }

  async ensureDatabase(name: string): Promise<void> {
    await this.onMaintenanceDatabase(async (client) => {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
    });
  }

  /** A fresh, empty database: what a service's migrations expect on its first start. */
  async recreateDatabase(name: string): Promise<void> {
    await this.onMaintenanceDatabase(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}"`);
    });
  }

  /** A fresh, empty schema in the bench database: a benchmark's tables start empty every run. */
  async recreateSchema(schema: string): Promise<void> {
    const client = await this.client();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.query(`CREATE SCHEMA "${schema}"`);
    } finally {
      await client.end();
    }
  }

  /** A topic private to this run (deleted by close), e.g. `bench.1a2b3c4d.relay-raw`. */
  async createTopic(name: string, partitions: number): Promise<string> {
    const topic = `bench.${this.runId}.${name}`;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
    } finally {
      await admin.disconnect();
    }
    this.topics.push(topic);
    return topic;
  }

  async postgresVersion(): Promise<string> {
    const client = await this.client();
    try {
      const result = await client.query<{ server_version: string }>('SHOW server_version');
      return result.rows[0]?.server_version ?? 'unknown';
    } finally {
      await client.end();
    }
  }

  /** `wal_level` of the primary: pg-transactional-outbox needs `logical`. */
  async walLevel(): Promise<string> {
    const client = await this.client();
    try {
      const result = await client.query<{ wal_level: string }>('SHOW wal_level');
      return result.rows[0]?.wal_level ?? 'unknown';
    } finally {
      await client.end();
    }
  }

  /** Deletes the run's topics. */
  async close(): Promise<void> {
    if (this.topics.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: this.topics });
    } finally {
      await admin.disconnect();
    }
  }

  private async onMaintenanceDatabase(work: (client: pg.Client) => Promise<void>): Promise<void> {
    const client = await this.client('postgres');
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
}
