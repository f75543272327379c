import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SystemClock } from '@faultline/shared/clock';
import { eventEnvelopeSchema } from '@faultline/shared/contracts';
import { dataSourceOptions } from '@faultline/shared/database';
import { KafkaClient } from '@faultline/shared/messaging';
import { ServiceMetrics, createServiceLogger } from '@faultline/shared/observability';
import { OutboxRelay, OutboxTable, resolveOutboxOptions } from '@faultline/shared/outbox';
import { outboxTableStatements } from '@faultline/shared/testing';
import type { BenchEnvironment } from './bench-environment.js';

/** The schema the outbox benchmarks' tables live in, recreated by `OutboxUnderTest.open`. */
const SCHEMA = 'outbox_bench';

/** One event as it sits in an outbox row and goes to Kafka: the key and the envelope's JSON. */
export interface OutboxEvent {
  eventId: string;
  aggregateId: string;
  sequence: number;
  envelope: string;
}

/** An outbox table of the services' shape and the run-private topic its relay publishes to. */
export interface BenchOutbox {
  table: string;
  topic: string;
}

/**
 * `count` envelopes over `aggregates` aggregates, interleaved as a busy service writes them, with a
 * payload like an order's (~600 bytes of envelope): what the relay and the raw producer both send.
 */
export function outboxEvents(count: number, aggregates: number): OutboxEvent[] {
  const prefix = randomUUID().slice(0, 8);
  const now = new Date();
  return Array.from({ length: count }, (_, i) => {
    const aggregateId = `${prefix}-${i % aggregates}`;
    const sequence = Math.floor(i / aggregates) + 1;
    const envelope = eventEnvelopeSchema.parse({
      eventId: uuidv7(),
      type: 'bench.widget.touched',
      schemaVersion: 1,
      aggregateType: 'widget',
      aggregateId,
      sequence,
      occurredAt: now.toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      producer: { name: 'bench', version: '0.0.0' },
      payload: {
        customerId: randomUUID(),
        currency: 'EUR',
        lines: [
          { sku: 'SKU-COFFEE-BEANS-1KG', quantity: 2, unitPriceMinor: 1_899 },
          { sku: 'SKU-GRINDER-BURR', quantity: 1, unitPriceMinor: 12_900 },
        ],
      },
    });
    return { eventId: envelope.eventId, aggregateId, sequence, envelope: JSON.stringify(envelope) };
  });
}

/**
 * Real OutboxRelay instances over outbox tables of the services' shape in the bench database, as a
 * service runs them (ordered publishing, default batch size and polling), publishing to the run's
 * topics. The relay is constructed as the shared outbox test bed does it, outside a Nest app.
 */
export class OutboxUnderTest {
  private readonly relays: { relay: OutboxRelay; kafka: KafkaClient }[] = [];
  private tables = 0;
  /** Unique per run: the relays' leader lock and session names never meet another run's. */
  readonly service = { name: `bench-relay-${randomUUID().slice(0, 8)}`, version: '0.0.0' };

  private constructor(
    private readonly bench: BenchEnvironment,
    readonly dataSource: DataSource,
    private readonly writer: pg.Pool,
  ) {}

  static async open(bench: BenchEnvironment): Promise<OutboxUnderTest> {
    await bench.recreateSchema(SCHEMA);
    const dataSource = new DataSource({
      ...dataSourceOptions('faultline-bench', bench.database(), { entities: [], migrations: [] }),
      migrationsRun: false,
    });
    await dataSource.initialize();
    const writer = new pg.Pool({ ...bench.clientConfig(), max: 4 });
    return new OutboxUnderTest(bench, dataSource, writer);
  }

  /** A fresh outbox table (the columns and indexes of the services' migrations) and a topic. */
  async createOutbox(name: string, partitions: number): Promise<BenchOutbox> {
    this.tables += 1;
    const table = `${SCHEMA}.outbox_${this.tables}`;
    for (const statement of outboxTableStatements(table)) await this.dataSource.query(statement);
    const topic = await this.bench.createTopic(name, partitions);
    return { table, topic };
  }

  /**
   * Starts `instances` relays on `outbox`, like replicas of one service: one leads, the rest stand by.
   * `batchSize` overrides the relay's default, to show what a larger batch would give.
   */
  startRelays(outbox: BenchOutbox, instances = 1, batchSize?: number): void {
    const options = resolveOutboxOptions({ producer: this.service, table: outbox.table, ...(batchSize ? { batchSize } : {}) }, {});
    for (let i = 0; i < instances; i += 1) {
      const kafka = new KafkaClient({ brokers: this.bench.brokers }, `${this.service.name}-${i}`, createServiceLogger(this.service, 'error'));
      const relay = new OutboxRelay(this.dataSource, kafka.createOrderedProducer(), new SystemClock(), options, new ServiceMetrics(this.service));
      relay.start();
      this.relays.push({ relay, kafka });
    }
  }

  /**
   * Commits `events` to the outbox in ONE transaction (one multi-row INSERT and the NOTIFY that
   * Outbox.append issues), and returns the instant the commit returned: where a relay's clock starts.
   */
  async commit(outbox: BenchOutbox, events: readonly OutboxEvent[]): Promise<number> {
    const client = await this.writer.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${outbox.table} (event_id, topic, aggregate_type, aggregate_id, sequence, event_type, envelope, created_at)
         SELECT event_id, $2, 'widget', aggregate_id, sequence, 'bench.widget.touched', envelope, now()
           FROM unnest($1::uuid[], $3::text[], $4::int[], $5::jsonb[]) AS e(event_id, aggregate_id, sequence, envelope)`,
        [events.map((e) => e.eventId), outbox.topic, events.map((e) => e.aggregateId), events.map((e) => e.sequence), events.map((e) => e.envelope)],
      );
      // Wakes the relay as OutboxTable.append does: it LISTENs on the table's channel.
      await client.query('SELECT pg_notify($1, $2)', [new OutboxTable(outbox.table).channel, '']);
      await client.query('COMMIT');
      return Date.now();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Waits until every row of `outbox` is marked published (Kafka acknowledged it) and returns the
   * instant of the last mark, as the relay stamped it.
   */
  async awaitPublished(outbox: BenchOutbox, timeoutMs = 120_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const [row] = (await this.dataSource.query(
        `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS pending, max(published_at) AS last FROM ${outbox.table}`,
      )) as { pending: number; last: Date | null }[];
      if (row && row.pending === 0 && row.last) return row.last.getTime();
      await sleep(20);
    }
    throw new Error(`the outbox relay did not publish ${outbox.table} within ${timeoutMs} ms: is Kafka up? (node infra/native/cli.mjs status)`);
  }

  /** Stops every relay started here (the leader's lock goes with its connection). */
  async stopRelays(): Promise<void> {
    const relays = this.relays.splice(0);
    await Promise.all(relays.map(({ relay }) => relay.stop()));
    await Promise.all(relays.map(({ kafka }) => kafka.disconnect()));
  }

  async close(): Promise<void> {
    await this.stopRelays();
    await this.writer.end();
    await this.dataSource.destroy();
  }
}
