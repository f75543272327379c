import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { requireReachable } from '@faultline/shared/testing';
import { infra } from '../environment.js';

// Services reach Kafka through Toxiproxy (so later scenarios can cut the link); the broker advertises
// the proxy's port on that listener, so every request after bootstrap stays behind the proxy too.
const viaToxiproxy = `127.0.0.1:${infra.TOXIPROXY_KAFKA_PORT}`;
const direct = `127.0.0.1:${infra.KAFKA_PORT}`;

describe('Kafka', () => {
  const topic = `infra-tests.keyed.${randomUUID()}`;
  let producer: Producer;
  let consumer: Consumer;

  before(async () => {
    await requireReachable('Kafka', infra.KAFKA_PORT);
    await requireReachable('Toxiproxy (kafka proxy)', infra.TOXIPROXY_KAFKA_PORT);
    const admin = new Kafka({ clientId: 'infra-tests', brokers: [direct], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    producer = new Kafka({ clientId: 'infra-tests-producer', brokers: [viaToxiproxy], logLevel: logLevel.NOTHING }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    consumer = new Kafka({ clientId: 'infra-tests-consumer', brokers: [direct], logLevel: logLevel.NOTHING }).consumer({
      groupId: `infra-tests-${randomUUID()}`,
    });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  after(async () => {
    await Promise.allSettled([producer?.disconnect(), consumer?.disconnect()]);
  });

  it('delivers every keyed message, each key on one partition and in the order it was sent', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `order-${i}`);
    const perKey = 5;
    const received: { key: string; value: number; partition: number }[] = [];
    const expected = keys.length * perKey;

    await consumer.subscribe({ topic, fromBeginning: true });
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          received.push({ key: String(message.key), value: Number(String(message.value)), partition });
          if (received.length === expected) resolve();
        },
      });
    });

    for (let sequence = 1; sequence <= perKey; sequence++) {
      await producer.send({ topic, messages: keys.map((key) => ({ key, value: String(sequence) })) });
    }
    await withTimeout(allReceived, 20_000, () => `received ${received.length} of ${expected} messages`);

    for (const key of keys) {
      const ofKey = received.filter((m) => m.key === key);
      assert.deepEqual(ofKey.map((m) => m.value), [1, 2, 3, 4, 5], `messages of ${key} out of order`);
      assert.equal(new Set(ofKey.map((m) => m.partition)).size, 1, `messages of ${key} spread over partitions`);
    }
    assert.ok(new Set(received.map((m) => m.partition)).size > 1, 'six keys all hashed to one partition');
  });
});

async function withTimeout<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${describe()}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
