export { KafkaClient, type ClusterDescription } from './kafka-client.js';
export type { KafkaSettings, TopicSpec } from './kafka-settings.js';
export { MessagingModule, type MessagingOptions } from './messaging.module.js';
export { OrderedProducer, type OutgoingMessage } from './ordered-producer.js';
export { TopicWatcher, type ReceivedMessage } from './topic-watcher.js';
