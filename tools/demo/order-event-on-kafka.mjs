import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { env } from '../local-services.mjs';

/** The order's event on orders.order.events, as the outbox relay published it: its topic, partition, offset, key and value. */
export async function orderEventOnKafka(orderId) {
  // Read the topic from its start and pick our order's event by its key (the aggregate id): a new
  // consumer group that starts "from latest" could begin after the event and never see it.
  const kafka = new Kafka({ clientId: 'faultline-demo', brokers: [`127.0.0.1:${env.KAFKA_PORT}`], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `faultline-demo-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'orders.order.events', fromBeginning: true });
  const eventArrived = new Promise((resolve) => {
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (message.key?.toString() !== orderId) return;
        resolve({ topic, partition, offset: message.offset, key: message.key.toString(), value: message.value?.toString() });
      },
    });
  });
  const event = await Promise.race([
    eventArrived,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no event on orders.order.events within 15 s')), 15_000)),
  ]);
  await consumer.disconnect();
  return event;
}
