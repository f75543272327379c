export { KafkaClient, type ClusterDescription, type PartitionProgress, type StoredRecord } from './kafka-client.js';
export type { KafkaSettings, TopicSpec } from './kafka-settings.js';
export { MessagingModule, type MessagingOptions } from './messaging.module.js';
export { OrderedProducer, type MessageProducer, type OutgoingMessage } from './ordered-producer.js';
export { UnorderedProducer } from './unordered-producer.js';
export { TopicWatcher, type ReceivedMessage } from './topic-watcher.js';
export { ConsumedEventContext } from './consumed-event-context.js';
export { ConsumedEventPipeline, type EventHandlerInvoker } from './consumed-event-pipeline.js';
export { ConsumerMetrics, type ConsumerOutcome } from './consumer-metrics.js';
export { DEAD_LETTER_HEADERS, DeadLetterPublisher, type DeadLetterReason } from './dead-letter-publisher.js';
export { DeadLetterLedger, type DeadLetter, type DeadLetterFilter, type DeadLetterResolution } from './dead-letter-ledger.js';
export { DEFAULT_DEAD_LETTER_CARE, DeadLetterMonitor, type DeadLetterCare } from './dead-letter-monitor.js';
export { BusinessRuleViolation, classifyFailure, type ClassifiedFailure, type FailureClass } from './failure-classification.js';
export { DEFAULT_FAILURE_POLICY, backoffDelayMs, type FailurePolicy } from './failure-policy.js';
export { RETRY_HEADERS, RetryTopics, originOf } from './retry-topics.js';
export { RetryingRecordProcessor } from './retrying-record-processor.js';
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
export { EventConsumerTransport, type EventConsumerDependencies } from './event-consumer-transport.js';
