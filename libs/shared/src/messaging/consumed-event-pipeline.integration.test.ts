import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { SystemClock } from '../clock/index.js';
import { readFaultlineEnvironment } from '../config/index.js';
import { eventEnvelopeSchema, type DecodedEvent } from '../contracts/index.js';
import { dataSourceOptions } from '../database/index.js';
import { DeadLetterPublisher } from '../dead-letter/index.js';
import { ServiceMetrics, createServiceLogger } from '../observability/index.js';
import { RecordedSpans, requireReachable } from '../testing/index.js';
import { ConsumedEventPipeline } from './consumed-event-pipeline.js';
import { ConsumerMetrics } from './consumer-metrics.js';
import { KafkaClient } from './kafka-client.js';
import type { SourceRecord } from './source-record.js';

/**
 * The pipeline's batch path on the real PostgreSQL, in a schema of its own in the orders database
 * (reached directly on the primary: other suites cut the orders proxy). The tables are the
 * consuming services' (their migrations' columns). No record here is dead-lettered, so the
 * dead-letter publisher is never called and Kafka is never contacted.
 */
const run = randomBytes(4).toString('hex');
const schema = `consumer_pipeline_test_${run}`;
const consumer = { name: `pipeline-test-${run}`, version: '0.0.0' };

describe('ConsumedEventPipeline applying a run of records in one transaction', () => {
  let dataSource: DataSource;
  let kafka: KafkaClient;
  /** What the app's handler saw, in order, as `<aggregateId>#<sequence>`. */
  let handled: string[] = [];
  /** Event ids the app's handler refuses (a handler bug or a business rule). */
  const refused = new Set<string>();
  /** The span active in the app's handler, by event id. */
  const handlerSpans = new Map<string, SpanContext | undefined>();
  let pipeline: ConsumedEventPipeline;

  before(async () => {
    const env = readFaultlineEnvironment();
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    const database = {
      host: '127.0.0.1',
      port: Number(env.PG_PRIMARY_PORT),
      database: env.ORDERS_DB_NAME ?? 'orders',
      username: env.ORDERS_DB_USER ?? 'orders',
      password: env.ORDERS_DB_PASSWORD ?? '',
    };
    dataSource = new DataSource({
      ...dataSourceOptions(consumer.name, database, { entities: [], migrations: [] }),
      migrationsRun: false,
      extra: { options: `-c TimeZone=UTC -c search_path=${schema}` },
    });
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA ${schema}`);
    await dataSource.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL, aggregate_type text NOT NULL,
        aggregate_id text NOT NULL, sequence int NOT NULL, processed_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, event_id));
      CREATE TABLE ordering_checkpoints (
        consumer text NOT NULL, aggregate_type text NOT NULL, aggregate_id text NOT NULL,
        last_sequence int NOT NULL CHECK (last_sequence >= 0), updated_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id));
      CREATE TABLE held_events (
        consumer text NOT NULL, aggregate_type text NOT NULL, aggregate_id text NOT NULL, sequence int NOT NULL,
        event_id uuid NOT NULL, envelope jsonb NOT NULL, source jsonb NOT NULL, held_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id, sequence))`);
    const logger = createServiceLogger(consumer, 'error');
    kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT}`] }, consumer.name, logger);
    pipeline = new ConsumedEventPipeline({
      consumer,
      dataSource,
      decode: (raw: unknown): DecodedEvent => eventEnvelopeSchema.parse(raw),
      invoke: (event) => {
        if (refused.has(event.eventId)) return Promise.reject(new Error(`handler refuses ${event.aggregateId}#${event.sequence}`));
        handled.push(`${event.aggregateId}#${event.sequence}`);
        handlerSpans.set(event.eventId, trace.getActiveSpan()?.spanContext());
        return Promise.resolve(true);
      },
      deadLetters: new DeadLetterPublisher(kafka.createOrderedProducer(), `${consumer.name}.dlq`, consumer),
      metrics: new ConsumerMetrics(new ServiceMetrics(consumer).registry),
      clock: new SystemClock(),
      logger,
    });
  });

  after(async () => {
    await dataSource?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await dataSource?.destroy();
    await kafka?.disconnect();
  });

  let offset = 0;
  const record = (aggregateId: string, sequence: number, eventId = randomUUID()): SourceRecord => ({
    topic: 'tests.pipeline',
    partition: 0,
    offset: String((offset += 1)),
    key: aggregateId,
    headers: {},
    value: JSON.stringify({
      eventId,
      type: 'tests.widget.touched',
      schemaVersion: 1,
      aggregateType: 'widget',
      aggregateId,
      sequence,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      producer: { name: 'tests', version: '0.0.0' },
      payload: {},
    }),
  });
  const lastSequence = async (aggregateId: string): Promise<number | undefined> => {
    const rows = (await dataSource.query(`SELECT last_sequence FROM ordering_checkpoints WHERE consumer = $1 AND aggregate_id = $2`, [
      consumer.name,
      aggregateId,
    ])) as { last_sequence: number }[];
    return rows[0]?.last_sequence;
  };
  const inboxCount = async (aggregateId: string): Promise<number> => {
    const rows = (await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND aggregate_id = $2`, [
      consumer.name,
      aggregateId,
    ])) as { n: number }[];
    return rows[0]?.n ?? 0;
  };

  it('applies each aggregate in sequence order, holding an early event until its predecessor later in the same run releases it', async () => {
    handled = [];
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const a1 = record(a, 1);
    const outcomes = await pipeline.processBatch([a1, record(a, 3), record(b, 1), record(a, 2), a1]);
    assert.deepEqual(outcomes, ['applied', 'held', 'applied', 'applied', 'duplicate']);
    assert.deepEqual(handled, [`${a}#1`, `${b}#1`, `${a}#2`, `${a}#3`]);
    assert.equal(await lastSequence(a), 3);
    assert.equal(await inboxCount(a), 3);
    const held = (await dataSource.query(`SELECT count(*)::int AS n FROM held_events WHERE consumer = $1`, [consumer.name])) as { n: number }[];
    assert.equal(held[0]?.n, 0);
  });

  it('answers duplicate for every record of a run delivered again, and applies none of them twice', async () => {
    const c = `c-${randomUUID()}`;
    const run = [record(c, 1), record(c, 2)];
    assert.deepEqual(await pipeline.processBatch(run), ['applied', 'applied']);
    handled = [];
    assert.deepEqual(await pipeline.processBatch(run), ['duplicate', 'duplicate']);
    assert.deepEqual(handled, []);
    assert.equal(await inboxCount(c), 2);
  });

  it('keeps nothing of a run whose handler throws, so each of its records can then be applied on its own', async () => {
    const d = `d-${randomUUID()}`;
    const d1 = record(d, 1);
    const d2Id = randomUUID();
    const d2 = record(d, 2, d2Id);
    refused.add(d2Id);
    await assert.rejects(pipeline.processBatch([d1, d2]), /handler refuses/);
    assert.equal(await lastSequence(d), undefined, 'the checkpoint the run created rolled back with it');
    assert.equal(await inboxCount(d), 0);
    assert.equal(await pipeline.process(d1), 'applied');
    await assert.rejects(pipeline.process(d2), /handler refuses/);
    assert.equal(await lastSequence(d), 1);
  });

  it('stops a run before a record that does not decode, leaving that record to the per-record path that dead-letters it', async () => {
    const e = `e-${randomUUID()}`;
    const poison: SourceRecord = { ...record(e, 2), value: 'not json' };
    assert.deepEqual(await pipeline.processBatch([record(e, 1), poison, record(e, 2)]), ['applied']);
    assert.deepEqual(await pipeline.processBatch([poison]), []);
    assert.equal(await lastSequence(e), 1);
  });

  it("handles each record of a run in a span of its own record's trace, a held one when released, inside a batch span linked to them all", async () => {
    const spans = RecordedSpans.start();
    try {
      const f = `f-${randomUUID()}`;
      const published = (spanId: string) => `00-${randomBytes(16).toString('hex')}-${spanId}-01`;
      const [p1, p2, p3] = [published('00f067aa0ba902b7'), published('00f067aa0ba902b8'), published('00f067aa0ba902b9')];
      const early = { ...record(f, 3), headers: { traceparent: p3 } };
      const records = [{ ...record(f, 1), headers: { traceparent: p1 } }, early, { ...record(f, 2), headers: { traceparent: p2 } }];
      assert.deepEqual(await pipeline.processBatch(records), ['applied', 'held', 'applied']);

      const batch = spans.one('tests.pipeline process batch');
      assert.deepEqual(
        batch.links.map((link) => link.context.traceId),
        [p1, p3, p2].map((traceparent) => traceparent.split('-')[1]),
      );
      const processed = spans.finished.filter((span) => span.name === 'tests.pipeline process');
      // What became of each record is on its span: the early one held on arrival, applied when released.
      assert.deepEqual(
        processed.filter((span) => span.attributes['messaging.kafka.offset'] === Number(early.offset)).map((span) => span.attributes['faultline.consumer.outcome']),
        ['held', 'applied'],
      );
      const byOffset = new Map(processed.map((span) => [span.attributes['messaging.kafka.offset'], span]));
      for (const [consumed, traceparent] of [
        [records[0], p1],
        [early, p3],
        [records[2], p2],
      ] as const) {
        const span = byOffset.get(Number(consumed?.offset));
        assert.equal(span?.spanContext().traceId, traceparent.split('-')[1], `record ${consumed?.offset} continues its own trace`);
        assert.equal(span?.parentSpanContext?.spanId, traceparent.split('-')[2]);
        const eventId = (JSON.parse(consumed?.value ?? '{}') as { eventId: string }).eventId;
        assert.deepEqual(handlerSpans.get(eventId), span?.spanContext(), 'its handler runs inside that span');
      }

      // A run of one is one span around its own transaction; a handler failure marks it.
      const g = `g-${randomUUID()}`;
      const refusedId = randomUUID();
      refused.add(refusedId);
      await assert.rejects(pipeline.processBatch([{ ...record(g, 1, refusedId), headers: { traceparent: p1 } }]), /handler refuses/);
      const failed = spans.finished.at(-1);
      assert.equal(failed?.name, 'tests.pipeline process');
      assert.equal(failed?.status.code, SpanStatusCode.ERROR);
      assert.equal(failed?.parentSpanContext?.spanId, p1.split('-')[2]);
    } finally {
      await spans.stop();
    }
  });
});
