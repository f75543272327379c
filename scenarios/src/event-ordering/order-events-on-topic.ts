import { ORDER_CANCELLED, ORDER_EVENTS_TOPIC, ORDER_PLACED } from '@faultline/shared/contracts';
import type { ReceivedMessage, TopicWatcher } from '@faultline/shared/messaging';
import { eventually, type ServiceProcess } from '@faultline/shared/testing';
import { scrapeMetric } from './scrape-metric.js';

/** What the event-ordering scenario reads of orders.order.events: the run's events, where they landed, in which order. */

/** Bounds the wait for the run's events on the topic, so a broken run ends with a clear message instead of hanging. */
const PUBLISHED_TIMEOUT_MS = 20_000;

/** Waits until orders' outbox is empty and both events of every order were seen on the topic. */
export async function awaitPublished(orders: ServiceProcess, watcher: TopicWatcher, ids: ReadonlySet<string>): Promise<ReceivedMessage[]> {
  const ours = () => watcher.messages.filter((m) => ids.has(aggregateIdOf(m)));
  return eventually(
    async () => {
      const backlog = await scrapeMetric(orders.url, 'outbox_backlog');
      const seen = ours();
      return backlog === 0 && seen.length >= ids.size * 2 ? seen : undefined;
    },
    { timeoutMs: PUBLISHED_TIMEOUT_MS, intervalMs: 200, what: `orders' outbox published and both events of ${ids.size} orders seen on ${ORDER_EVENTS_TOPIC}` },
  );
}

/** Waits until both events of every given order were seen on the topic. */
export async function awaitSeen(watcher: TopicWatcher, ids: ReadonlySet<string>): Promise<ReceivedMessage[]> {
  return eventually(
    async () => {
      const seen = watcher.messages.filter((m) => ids.has(aggregateIdOf(m)));
      return seen.length >= ids.size * 2 ? seen : undefined;
    },
    { timeoutMs: PUBLISHED_TIMEOUT_MS, intervalMs: 100, what: `both events of ${ids.size} orders seen on ${ORDER_EVENTS_TOPIC}` },
  );
}

/** True when the order's "cancelled" and "placed" sit on one partition, "cancelled" at the lower offset. */
export function cancelledFirstOnOnePartition(messages: readonly ReceivedMessage[], orderId: string): boolean {
  const events = messages.filter((m) => aggregateIdOf(m) === orderId);
  const cancelled = events.find((m) => typeOf(m) === ORDER_CANCELLED);
  const placed = events.find((m) => typeOf(m) === ORDER_PLACED);
  return (
    cancelled !== undefined && placed !== undefined && cancelled.partition === placed.partition && BigInt(cancelled.offset) < BigInt(placed.offset)
  );
}

function aggregateIdOf(message: ReceivedMessage): string {
  return envelopeField(message, 'aggregateId');
}

function typeOf(message: ReceivedMessage): string {
  return envelopeField(message, 'type');
}

function envelopeField(message: ReceivedMessage, field: 'aggregateId' | 'type'): string {
  try {
    return String((JSON.parse(message.value ?? 'null') as Record<string, unknown> | null)?.[field] ?? '');
  } catch {
    return '';
  }
}

/** The partitions each order's events went to, by order id. */
export function partitionsPerOrder(messages: readonly ReceivedMessage[]): Map<string, Set<number>> {
  const used = new Map<string, Set<number>>();
  for (const message of messages) {
    const id = aggregateIdOf(message);
    used.set(id, (used.get(id) ?? new Set()).add(message.partition));
  }
  return used;
}
