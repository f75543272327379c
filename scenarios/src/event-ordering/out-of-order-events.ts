import { randomUUID } from 'node:crypto';
import { ORDER_AGGREGATE, ORDER_EVENTS_TOPIC, orderCancelled, orderPlaced, type EventEnvelope } from '@faultline/shared/contracts';
import type { KafkaClient } from '@faultline/shared/messaging';

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
      const cancelled = envelope(
        orderId,
        2,
        cancelledAt,
        orderCancelled.encode({ orderId, reason: 'article 4 workshop, delivered early', cancelledAt: cancelledAt.toISOString() }),
      );
      const placed = envelope(
        orderId,
        1,
        placedAt,
        orderPlaced.encode({
          orderId,
          customerId,
          lines: [{ sku: 'workshop-ticket', quantity: 1, unitPriceMinor: 4_900 }],
          total: { amountMinor: 4_900, currency: 'EUR' },
          placedAt: placedAt.toISOString(),
        }),
      );
      // One send each, awaited in this order: the ordered producer keeps it on the partition.
      await producer.send(ORDER_EVENTS_TOPIC, [{ key: orderId, value: JSON.stringify(cancelled) }]);
      await producer.send(ORDER_EVENTS_TOPIC, [{ key: orderId, value: JSON.stringify(placed) }]);
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}

function envelope(orderId: string, sequence: number, occurredAt: Date, event: { type: string; schemaVersion: number; payload: unknown }): EventEnvelope {
  return {
    eventId: randomUUID(),
    ...event,
    aggregateType: ORDER_AGGREGATE,
    aggregateId: orderId,
    sequence,
    occurredAt: occurredAt.toISOString(),
    correlationId: `scenario-event-ordering-${orderId}`,
    causationId: 'scenario-event-ordering',
    producer: PRODUCER,
  };
}
