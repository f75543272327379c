import { randomUUID } from 'node:crypto';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { KafkaClient } from '@faultline/shared/messaging';
import { OrderEventStream } from '@faultline/shared/testing';

const PRODUCER = { name: 'scenario-event-ordering', version: '0.1.0' };

/**
 * Publishes, for `count` new orders of `customerId`, "cancelled" (sequence 2) BEFORE "placed" (sequence 1), keyed
 * by order id: both land on the order's one partition in that wrong order, as they would from a
 * producer that sent them out of order (two relays racing, a retried batch). Keyed publishing cannot
 * help here; only the consumer's ordering guard can (article 4). Resolves with the order ids once
 * the broker has acknowledged every event.
 */
export async function publishCancelledBeforePlaced(kafka: KafkaClient, customerId: string, count: number): Promise<string[]> {
  const producer = kafka.createOrderedProducer();
  const ids = Array.from({ length: count }, () => randomUUID());
  try {
    for (const orderId of ids) {
      const cancelledAt = new Date();
      const placedAt = new Date(cancelledAt.getTime() - 1_000);
      // The stream numbers the events as the order aggregate does; they are published the other way round.
      const stream = new OrderEventStream({
        orderId,
        customerId,
        total: { amountMinor: 4_900, currency: 'EUR' },
        correlationId: `scenario-event-ordering-${orderId}`,
        causationId: 'scenario-event-ordering',
        producer: PRODUCER,
      });
      const placed = stream.placed(placedAt.toISOString(), [{ sku: 'workshop-ticket', quantity: 1, unitPriceMinor: 4_900 }]);
      const cancelled = stream.cancelled(cancelledAt.toISOString(), 'article 4 workshop, delivered early');
      // One send each, awaited in this order: the ordered producer keeps it on the partition.
      await producer.send(ORDER_EVENTS_TOPIC, [{ key: orderId, value: JSON.stringify(cancelled) }]);
      await producer.send(ORDER_EVENTS_TOPIC, [{ key: orderId, value: JSON.stringify(placed) }]);
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}
