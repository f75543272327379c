export { KafkaClient, type ClusterDescription, type ConsumerGroupOffsets, type PartitionProgress } from './kafka-client.js';
export type { KafkaSettings, TopicSpec } from './kafka-settings.js';
export { MessagingModule, type MessagingOptions } from './messaging.module.js';
export { OrderedProducer, type MessageProducer, type OutgoingMessage } from './ordered-producer.js';
export { TopicWatcher, type ReceivedMessage } from './topic-watcher.js';
export type { StoredRecord } from './topic-reader.js';
export { toSourceRecord, type SourceRecord } from './source-record.js';
export { ConsumedEventContext } from './consumed-event-context.js';
export { HandlesEvent } from './handles-event.js';
export { ConsumedEventPipeline, type ConsumedEventPipelineOptions, type EventHandlerInvoker } from './consumed-event-pipeline.js';
export { ConsumerMetrics, type ConsumerOutcome } from './consumer-metrics.js';
export {
  EVENT_CONSUMERS,
  EVENT_CONSUMER_DEFAULTS,
  consumerFailureHandling,
  consumerOrdering,
  requireAllowedConsumerOrdering,
  retryDelaysMs,
  type ConsumerFailureHandling,
  type ConsumerOrdering,
  type EventConsumerOptions,
  type EventDecoder,
} from './event-consumer-options.js';
export { EventConsumerTransport, type EventConsumerParts } from './event-consumer-transport.js';
export { EventConsumerFactory, type EventConsumerDependencies } from './event-consumer-factory.js';
export { BatchRunner, MAX_RECORDS_PER_TRANSACTION, type ConsumerSession, type RecordProcessor } from './batch-runner.js';
export { MESSAGING_TRACER, activeTraceContext, recordFailure, traceContextOf, traceHeaders, type TraceContextFields } from './trace-context.js';
