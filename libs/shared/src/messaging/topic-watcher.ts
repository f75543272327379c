import type { Consumer } from 'kafkajs';

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic with a throw-away consumer group and remembers what arrives, so a test or a
 * scenario can wait for "the message about order X". Starts at the end of the topic: only
 * messages produced after `start()` resolved are seen.
 */
export class TopicWatcher {
  private readonly received: ReceivedMessage[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly consumer: Consumer,
    readonly topic: string,
  ) {}

  /** Resolves once the group has joined and fetched once, i.e. its start offsets are fixed. */
  async start(): Promise<this> {
    const fetched = new Promise<void>((resolve, reject) => {
      const stopListening = () => {
        removeFetch();
        removeCrash();
      };
      const removeFetch = this.consumer.on(this.consumer.events.FETCH, () => {
        stopListening();
        resolve();
      });
      const removeCrash = this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        stopListening();
        reject(payload.error);
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.received.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
          ),
        });
        for (const wake of this.waiters) wake();
      },
    });
    await fetched;
    return this;
  }

  get messages(): readonly ReceivedMessage[] {
    return this.received;
  }

  /** The first message (already received or still to come) that matches, or a timeout error. */
  async waitFor(matches: (message: ReceivedMessage) => boolean, timeoutMs = 10_000): Promise<ReceivedMessage> {
    const found = () => this.received.find(matches);
    const existing = found();
    if (existing) return existing;
    return new Promise<ReceivedMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching message on ${this.topic} within ${timeoutMs} ms (${this.received.length} others seen)`));
      }, timeoutMs);
      const check = () => {
        const message = found();
        if (!message) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(message);
      };
      this.waiters.add(check);
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
