import type { Producer } from 'kafkajs';

export interface OutgoingMessage {
  /** The partitioning key: the aggregate id, so one aggregate's events share a partition. */
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** What the outbox relay needs from a producer: OrderedProducer, or UnorderedProducer in the workshop. */
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
 * broker drops the duplicate a retry of an already-written batch would otherwise append). Callers
 * must still send one aggregate's events in sequence order and await each send.
 */
export class OrderedProducer implements MessageProducer {
  private connecting?: Promise<void>;

  constructor(private readonly producer: Producer) {
    producer.on(producer.events.DISCONNECT, () => {
      this.connecting = undefined;
    });
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.connect();
    await this.producer.send({ topic, messages });
  }

  async disconnect(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting) await connecting.catch(() => undefined);
    await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }
}
