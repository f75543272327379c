import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import {
  DEFAULT_DEAD_LETTER_CARE,
  DEFAULT_FAILURE_POLICY,
  DeadLetterLedger,
  DeadLetterMonitor,
  DeadLetterPublisher,
  RetryingRecordProcessor,
  RetryTopics,
  validFailurePolicy,
} from '../dead-letter/index.js';
import { SkippingRecordProcessor, naiveFailureHandlingNotice } from '../dead-letter/naive-failure-handling.js';
import { ExpiredGapSweep } from '../ordering-guard/index.js';
import { BatchRunner } from './batch-runner.js';
import { ConsumedEventPipeline, type ConsumedEventPipelineOptions, type EventHandlerInvoker } from './consumed-event-pipeline.js';
import { ConsumerMetrics } from './consumer-metrics.js';
import { EVENT_CONSUMER_DEFAULTS, sweepIntervalFor, type EventConsumerOptions } from './event-consumer-options.js';
import { EventConsumerTransport } from './event-consumer-transport.js';
import type { KafkaClient } from './kafka-client.js';
import { ArrivalOrderPipeline, naiveOrderingNotice } from './naive-ordering.js';
import type { OrderedProducer } from './ordered-producer.js';
import { PeriodicChecks } from './periodic-checks.js';
import { SteadyConsumption } from './steady-consumption.js';
import { RetryTopicPacer } from './retry-topic-pacer.js';

/** What the consumers take from the running app; MessagingModule provides it (see its factory provider). */
export interface EventConsumerDependencies {
  kafka: KafkaClient;
  producer: OrderedProducer;
  dataSource: DataSource;
  /** The service's registry; the consumer metrics join it with the first consumer. */
  registry: Registry;
  clock: Clock;
  logger: Logger;
  /** The service's build version, stamped on its dead letters. */
  version: string;
}

/**
 * Builds each consumer the app declared (EventConsumerOptions) with everything it is made of: the
 * pipeline, the failure policy with its retry topics and dead letters, the gap sweep, the batch
 * runner and the pacer. The one place that wires a consumer, so each part takes its collaborators
 * and builds none.
 */
export class EventConsumerFactory {
  private metrics?: ConsumerMetrics;

  constructor(private readonly dependencies: EventConsumerDependencies) {}

  create(options: EventConsumerOptions): EventConsumerTransport {
    const { kafka, producer, dataSource, clock, version } = this.dependencies;
    const { name } = options;
    const groupId = options.groupId ?? name;
    const logger = this.dependencies.logger.child({ consumer: name });
    const metrics = (this.metrics ??= new ConsumerMetrics(this.dependencies.registry));
    const ordering = options.ordering ?? EVENT_CONSUMER_DEFAULTS.ordering;
    const failures = options.failures ?? 'policy';
    const holdBoundMs = options.holdBoundMs ?? EVENT_CONSUMER_DEFAULTS.holdBoundMs;
    const care = { ...DEFAULT_DEAD_LETTER_CARE, ...options.deadLetterCare };
    const policy = validFailurePolicy(name, { ...DEFAULT_FAILURE_POLICY, ...options.failurePolicy });
    const stopping = new AbortController();

    // Nest registers the app's handlers on the transport once it is connected, after this returns.
    const invoke: EventHandlerInvoker = (event, context) => transport.invoke(event, context);
    const deadLetters = new DeadLetterPublisher(producer, options.deadLetterTopic ?? `${groupId}.dlq`, { name, version });
    const decode = options.decode ?? EVENT_CONSUMER_DEFAULTS.decode;
    const pipelineOptions: ConsumedEventPipelineOptions = { consumer: { name, version }, groupId, dataSource, decode, invoke, deadLetters, metrics, clock, logger };
    // Each workshop switch swaps one part for its naive file's (articles 3 and 4); the notices say so in the log.
    const notices: string[] = [];
    const pipeline = ordering === 'naive' ? new ArrivalOrderPipeline(pipelineOptions) : new ConsumedEventPipeline(pipelineOptions);
    if (ordering === 'naive') notices.push(naiveOrderingNotice(name));
    const retryTopics = new RetryTopics(groupId, policy.retryDelaysMs);
    const processor = new RetryingRecordProcessor({
      consumer: name,
      pipeline,
      policy,
      retryTopics,
      producer,
      deadLetters,
      metrics,
      clock,
      logger,
      signal: stopping.signal,
    });
    const deadLetterLedger = new DeadLetterLedger(kafka, deadLetters.topic, clock);
    const deadLetterMonitor = new DeadLetterMonitor({
      consumer: name,
      groupId,
      sourceTopics: options.topics,
      ledger: deadLetterLedger,
      kafka,
      producer,
      metrics,
      clock,
      care,
      dependencyHealthy: async () => {
        await dataSource.query('select 1');
      },
      logger,
    });
    const consumption = new SteadyConsumption(clock);
    const gapSweep = new ExpiredGapSweep({
      consumer: name,
      dataSource,
      deadLetters,
      metrics,
      clock,
      holdBoundMs,
      steadyForMs: () => consumption.steadyForMs(),
      heldChanged: () => pipeline.refreshHeldGauge(),
      logger,
    });
    const pacer = new RetryTopicPacer(retryTopics, processor, clock);
    const recordProcessor = failures === 'naive' ? new SkippingRecordProcessor(pipeline, logger) : processor;
    if (failures === 'naive') notices.push(naiveFailureHandlingNotice(name));
    const runner = new BatchRunner({ processor: recordProcessor, pacer, retryTopics, logger, stopping: stopping.signal });
    const checks = new PeriodicChecks({
      gapSweep,
      deadLetterMonitor,
      processor,
      sweepIntervalMs: sweepIntervalFor(holdBoundMs),
      checkIntervalMs: care.checkIntervalMs,
      logger,
      stopping: stopping.signal,
    });
    const transport = new EventConsumerTransport({
      options,
      groupId,
      kafka,
      logger,
      stopping,
      pipeline,
      runner,
      pacer,
      checks,
      consumption,
      retryTopics,
      deadLetterLedger,
      deadLetterMonitor,
      notices,
    });
    return transport;
  }
}
