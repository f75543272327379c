import { setTimeout as sleep } from 'node:timers/promises';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { KafkaClient, PartitionProgress } from '@faultline/shared/messaging';
import { eventually } from '@faultline/shared/testing';
import { scrapeMetric } from './scrape-metric.js';

/** What the event-ordering scenario reads of billing from outside: its group's progress, its copies, its counters. */

/** Billing's consumer of order events and its Kafka group (apps/billing/src/config.ts). */
export const BILLING_CONSUMER = 'billing-orders';
/** Bounds the wait for billing's backlog, so a broken run ends with a clear message instead of hanging. */
const CAUGHT_UP_TIMEOUT_MS = 30_000;

/** Waits until billing's group has committed, in every partition, past the backlog it started on. */
export async function awaitCaughtUp(kafka: KafkaClient, backlog: readonly PartitionProgress[]): Promise<void> {
  const target = new Map(backlog.map((p) => [p.partition, p.end]));
  await eventually(
    async () => {
      const now = await kafka.partitionProgress(ORDER_EVENTS_TOPIC, BILLING_CONSUMER);
      return now.every((p) => p.committed >= (target.get(p.partition) ?? 0n)) ? true : undefined;
    },
    { timeoutMs: CAUGHT_UP_TIMEOUT_MS, intervalMs: 250, what: `billing's consumer ${BILLING_CONSUMER} caught up with its backlog` },
  );
  // Offsets are committed after each record's transaction, so the copies are final; this pause only
  // lets billing log its last lines before the comparison is printed.
  await sleep(100);
}

/** Billing's status of the order, `missing` for its 404; any other answer (a refused token, a 5xx) is an error, not a wrong state. */
export async function billingStatus(asCustomer: typeof fetch, billingUrl: string, orderId: string): Promise<string> {
  const response = await asCustomer(`${billingUrl}/orders/${orderId}`);
  if (response.status === 404) return 'missing';
  if (response.status !== 200) throw new Error(`billing answered GET /orders/${orderId} ${response.status}: ${await response.text()}`);
  const { status } = (await response.json()) as { status: string };
  return status;
}

/** Billing's consumer counters for the run's events, read from its /metrics. */
export async function billingCounters(billingUrl: string) {
  const consumer = { consumer: BILLING_CONSUMER };
  const events = (outcome: string) => scrapeMetric(billingUrl, 'consumer_events_total', { ...consumer, outcome });
  return {
    applied: await events('applied'),
    held: await events('held'),
    duplicate: await events('duplicate'),
    deadLettered: await events('dead_lettered'),
    handlerFailed: await scrapeMetric(billingUrl, 'dead_letter_published_total', { ...consumer, reason: 'handler-failed' }),
  };
}

/** Records billing's group has yet to commit past, over all partitions. */
export function pending(progress: readonly PartitionProgress[]): number {
  return Number(progress.reduce((sum, p) => sum + (p.end > p.committed ? p.end - p.committed : 0n), 0n));
}
