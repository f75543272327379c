import { SystemClock } from '@faultline/shared/clock';
import { eventEnvelopeSchema, type DecodedEvent } from '@faultline/shared/contracts';
import { dataSourceOptions } from '@faultline/shared/database';
import { DeadLetterPublisher } from '@faultline/shared/dead-letter';
import { ConsumedEventPipeline, ConsumerMetrics, KafkaClient, type ConsumerOutcome, type SourceRecord } from '@faultline/shared/messaging';
import { ServiceMetrics, createServiceLogger } from '@faultline/shared/observability';
import { DataSource } from 'typeorm';
import type { BenchEnvironment } from './bench-environment.js';

const SCHEMA = 'consumer_bench';

/**
 * The consuming side as a service runs it: every record through ConsumedEventPipeline — envelope
 * validation, then in ONE transaction the inbox, the ordering guard and the handler — on the
 * pipeline's own tables (the columns of billing's migration) in a schema of the bench database.
 * The handler does nothing: the figure is the pipeline's cost, not a use case's.
 */
export class ApplyingConsumer {
  private constructor(
    private readonly pipeline: ConsumedEventPipeline,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
  ) {}

  static async open(bench: BenchEnvironment, deadLetterTopic: string): Promise<ApplyingConsumer> {
    await bench.recreateSchema(SCHEMA);
    const service = { name: `bench-consumer-${bench.runId}`, version: '0.0.0' };
    const dataSource = new DataSource({
      ...dataSourceOptions(service.name, bench.database(), { entities: [], migrations: [] }),
      migrationsRun: false,
      extra: { options: `-c TimeZone=UTC -c search_path=${SCHEMA}` },
    });
    await dataSource.initialize();
    await dataSource.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL, aggregate_type text NOT NULL,
        aggregate_id text NOT NULL, sequence int NOT NULL, processed_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, event_id))`);
    await dataSource.query(`
      CREATE TABLE ordering_checkpoints (
        consumer text NOT NULL, aggregate_type text NOT NULL, aggregate_id text NOT NULL,
        last_sequence int NOT NULL CHECK (last_sequence >= 0), updated_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id))`);
    await dataSource.query(`
      CREATE TABLE held_events (
        consumer text NOT NULL, aggregate_type text NOT NULL, aggregate_id text NOT NULL, sequence int NOT NULL,
        event_id uuid NOT NULL, envelope jsonb NOT NULL, source jsonb NOT NULL, held_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, aggregate_type, aggregate_id, sequence))`);
    await dataSource.query(`CREATE INDEX held_events_by_age ON held_events (consumer, held_at)`);
    const logger = createServiceLogger(service, 'error');
    const kafka = new KafkaClient({ brokers: bench.brokers }, service.name, logger);
    const pipeline = new ConsumedEventPipeline({
      consumer: service,
      dataSource,
      // The bench's event type has no registered contract, so only the envelope is validated.
      decode: (raw: unknown): DecodedEvent => eventEnvelopeSchema.parse(raw),
      invoke: () => Promise.resolve(true),
      deadLetters: new DeadLetterPublisher(kafka.createOrderedProducer(), deadLetterTopic, service),
      metrics: new ConsumerMetrics(new ServiceMetrics(service).registry),
      clock: new SystemClock(),
      logger,
    });
    return new ApplyingConsumer(pipeline, dataSource, kafka);
  }

  process(record: SourceRecord): Promise<ConsumerOutcome> {
    return this.pipeline.process(record);
  }

  /** A run of one partition's records in one transaction; [] when the head must go alone. */
  processBatch(records: readonly SourceRecord[]): Promise<ConsumerOutcome[]> {
    return this.pipeline.processBatch(records);
  }

  async close(): Promise<void> {
    await this.kafka.disconnect();
    await this.dataSource.destroy();
  }
}
