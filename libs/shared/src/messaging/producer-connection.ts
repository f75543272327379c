import type { Producer } from 'kafkajs';
import type { MessageProducer, OutgoingMessage } from './ordered-producer.js';

/**
 * A kafkajs producer behind MessageProducer: it connects on the first send and again after a
 * disconnect. What it guarantees depends on the settings KafkaClient created it with.
 */
export class ProducerConnection implements MessageProducer {
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
