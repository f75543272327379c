import { ORDER_AGGREGATE, ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS } from '@faultline/shared/dead-letter';
import type { KafkaClient, StoredRecord } from '@faultline/shared/messaging';
import type { PublishedOrderEvent, RunDeadLetter, SystemLedgers } from '../system-ledgers.js';
import { readTopicsSince, type PartitionStarts } from '../topic-slice.js';
import { ORDER_EVENT_CONSUMERS, deadLetterTopicOf } from './order-event-consumers.js';

/** One read of the run's records on the topics: the broker answers in seconds, also after a restart. */
const TOPIC_READ_TIMEOUT_MS = 60_000;

/** The run's slice of the order events topic and of each consumer's dead-letter topic, kept to the run's orders. */
export async function readRunTopics(
  kafka: KafkaClient,
  topicStarts: ReadonlyMap<string, PartitionStarts>,
  orderIds: string[],
): Promise<Pick<SystemLedgers, 'published' | 'deadLetters'>> {
  const run = new Set(orderIds);
  const records = await readTopicsSince(kafka, topicStarts, TOPIC_READ_TIMEOUT_MS);
  const published = new Map<string, PublishedOrderEvent[]>();
  const deadLetters: RunDeadLetter[] = [];
  for (const record of records) {
    const envelope = envelopeOf(record);
    // The relay keys each record by its aggregate id; a dead letter keeps the original key and value.
    const orderId = envelope?.aggregateType === ORDER_AGGREGATE ? envelope.aggregateId : (record.key ?? undefined);
    if (orderId === undefined || !run.has(orderId)) continue;
    if (record.topic === ORDER_EVENTS_TOPIC) {
      if (envelope === undefined) continue;
      const events = published.get(orderId) ?? [];
      events.push({ partition: record.partition, offset: BigInt(record.offset), sequence: envelope.sequence, eventId: envelope.eventId });
      published.set(orderId, events);
    } else {
      const consumer = ORDER_EVENT_CONSUMERS.find((candidate) => deadLetterTopicOf(candidate.consumer) === record.topic)?.consumer ?? record.topic;
      deadLetters.push({ consumer, orderId, reason: record.headers[DEAD_LETTER_HEADERS.reason] ?? 'no reason header' });
    }
  }
  return { published, deadLetters };
}

/** The envelope fields the checks need, from a record's JSON value; undefined for a value that is not one. */
function envelopeOf(record: StoredRecord): { aggregateType: string; aggregateId: string; sequence: number; eventId: string } | undefined {
  try {
    const value = JSON.parse(record.value) as Record<string, unknown>;
    const { aggregateType, aggregateId, sequence, eventId } = value;
    if (typeof aggregateType !== 'string' || typeof aggregateId !== 'string' || typeof sequence !== 'number' || typeof eventId !== 'string') return undefined;
    return { aggregateType, aggregateId, sequence, eventId };
  } catch {
    return undefined;
  }
}
