import { ProducerConnection } from './producer-connection.js';

export interface OutgoingMessage {
  /** The partitioning key: the aggregate id, so one aggregate's events share a partition. */
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** What the outbox relay needs from a producer: the OrderedProducer (see KafkaClient.createOrderedProducer). */
export interface MessageProducer {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * A producer that keeps the order of what it is given, per partition, even across retries.
 *
 * Article 4: with several requests in flight, a batch that fails and is retried can land after the
 * batch sent behind it, so "cancelled" arrives before "created". The producer is therefore created
 * with `maxInFlightRequests: 1` (a retry cannot overtake anything) and `idempotent: true` (the
 * broker drops the duplicate a retry of an already-written batch would otherwise append); see
 * KafkaClient.createOrderedProducer. Callers must still send one aggregate's events in sequence
 * order and await each send.
 */
export class OrderedProducer extends ProducerConnection {}
