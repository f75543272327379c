import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { DeadLetterLedger } from '@faultline/shared/dead-letter';
import type { KafkaClient, PartitionProgress, TopicWatcher } from '@faultline/shared/messaging';
import { eventually } from '@faultline/shared/testing';
import type { Customer } from '../identity.js';
import { BILLING_CONSUMER, EVENT_TIMEOUT_MS, billingCopy, describeCopy, type BillingOrderCopy } from './billing-readings.js';

/** What became of a record the dead-letter scenario published, read from the outside. */

/** Where a record the scenario published landed in orders.order.events. */
export interface PublishedRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: string;
}

/**
 * What became of a record that failed, read from the outside: `skipped` when billing's group has
 * committed past it while billing has no copy of its order and no dead letter holds it — the record
 * is gone, and nothing says so.
 */
export interface RecordFate {
  skipped: boolean;
  committedPast: boolean;
  deadLetters: number;
  /** Billing's copy of the order, null when billing answers 404; absent for a record that is no order. */
  copy?: BillingOrderCopy | null;
}

/** The partition and offset the record got in orders.order.events, as the scenario's watcher read it. */
export async function landed(published: TopicWatcher, key: string, value: string): Promise<PublishedRecord> {
  const record = await published.waitFor((m) => m.key === key && m.value === value, EVENT_TIMEOUT_MS);
  return { partition: record.partition, offset: BigInt(record.offset), key, value };
}

/**
 * Waits until billing's group has committed, in the given partitions of `topic`, at least up to each
 * `end` (exclusive: the next offset to read), i.e. past every record below it.
 */
export async function awaitCommitted(kafka: KafkaClient, topic: string, upTo: readonly Pick<PartitionProgress, 'partition' | 'end'>[]): Promise<void> {
  const ends = new Map(upTo.map((p) => [p.partition, p.end]));
  await eventually(
    async () => {
      const now = await kafka.partitionProgress(topic, BILLING_CONSUMER);
      return now.every((p) => p.committed >= (ends.get(p.partition) ?? 0n)) ? true : undefined;
    },
    { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 250, what: `billing's consumer ${BILLING_CONSUMER} committed up to ${[...ends].map(([p, end]) => `${topic}[${p}]@${end}`).join(', ')}` },
  );
}

/**
 * Reads what became of a failed record: whether billing's group committed past it, how many dead
 * letters hold it (the dead-letter topic read to its end: billing writes a dead letter before it
 * commits past the record), and, for an order, billing's copy of it.
 */
export async function recordFate(
  kafka: KafkaClient,
  ledger: DeadLetterLedger,
  customer: Customer,
  billingUrl: string,
  record: PublishedRecord,
  orderId?: string,
): Promise<RecordFate> {
  const committedPast = await awaitCommitted(kafka, ORDER_EVENTS_TOPIC, [{ partition: record.partition, end: record.offset + 1n }]).then(
    () => true,
    () => false,
  );
  const deadLetters = (await ledger.list({ includeResolved: true })).filter(
    (letter) =>
      (letter.source.topic === ORDER_EVENTS_TOPIC && letter.source.partition === record.partition && letter.source.offset === String(record.offset)) ||
      (letter.key === record.key && letter.value === record.value),
  ).length;
  if (orderId === undefined) return { skipped: committedPast && deadLetters === 0, committedPast, deadLetters };
  const copy = await billingCopy(customer, billingUrl, orderId).catch(() => undefined);
  return { skipped: committedPast && deadLetters === 0 && copy === null, committedPast, deadLetters, ...(copy !== undefined && { copy }) };
}

/** A failed record's fate as the narration shows it. */
export function describeFate(record: PublishedRecord, fate: RecordFate): string {
  const where = `${ORDER_EVENTS_TOPIC}[${record.partition}]@${record.offset}`;
  const committed = fate.committedPast ? `billing's group committed past ${where}` : `billing's group has NOT committed past ${where}`;
  const copy = fate.copy === undefined ? '' : fate.copy === null ? ', billing has no copy of the order' : `, billing has the order (${describeCopy(fate.copy)})`;
  return `${fate.skipped ? 'skipped: ' : ''}${committed}${copy}, dead letters for it: ${fate.deadLetters}`;
}
