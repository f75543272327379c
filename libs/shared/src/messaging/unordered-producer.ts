import type { Producer } from 'kafkajs';
import type { MessageProducer, OutgoingMessage } from './ordered-producer.js';

/**
 * WORKSHOP ONLY — article 4's naive producer, used by the outbox relay in naive publishing mode and
 * nowhere else (KafkaClient.createUnorderedProducer).
 *
 * What it gets wrong: it is created with `idempotent: false` and several requests in flight, the
 * settings most clients start with. When a request fails and is retried, the request sent behind it
 * may already be written, so a later event lands before an earlier one in the same partition; and a
 * retry of a request the broker did write appends the batch a second time. OrderedProducer is the
 * fix (one request in flight, idempotent).
 */
export class UnorderedProducer implements MessageProducer {
  private connecting?: Promise<void>;

  constructor(private readonly producer: Producer) {
    producer.on(producer.events.DISCONNECT, () => {
      this.connecting = undefined;
    });
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    await this.connecting;
    await this.producer.send({ topic, messages });
  }

  async disconnect(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    this.connecting = undefined;
    await this.producer.disconnect();
  }
}
