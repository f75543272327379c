import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';

/** The consumers of the order events and the database each keeps its inbox and checkpoints in. */
export const ORDER_EVENT_CONSUMERS = [
  { consumer: 'billing-orders', database: 'billing' },
  { consumer: 'notifications-orders', database: 'notifications' },
  { consumer: 'orders-fulfilment', database: 'orders' },
] as const;

/** Each consumer dead-letters to `<group>.dlq`, its group being its name (EventConsumerOptions). */
export const deadLetterTopicOf = (consumer: string) => `${consumer}.dlq`;

/** The topics whose slice written during the run the checker reads: the order events and the consumers' dead letters. */
export const RUN_TOPICS = [ORDER_EVENTS_TOPIC, ...ORDER_EVENT_CONSUMERS.map(({ consumer }) => deadLetterTopicOf(consumer))];
