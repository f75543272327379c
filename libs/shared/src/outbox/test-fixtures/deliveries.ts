import type { ReceivedMessage } from '../../messaging/index.js';

/** What a consumer that deduplicates by eventId (an inbox) makes of a topic's messages. */
export interface Deliveries {
  /** Distinct eventIds received. */
  distinct: number;
  /** Copies dropped by eventId (redeliveries after a crash, or naive double publishing). */
  duplicates: number;
  /** Per aggregate, the sequences in the order the consumer applies them (first copy of each). */
  sequences: Map<string, number[]>;
  /** Per aggregate, the partitions its events arrived on. */
  partitions: Map<string, Set<number>>;
  /** eventIds whose copies disagree on aggregate or sequence: a duplicate that is not a redelivery. */
  inconsistentCopies: string[];
}

interface Envelope {
  eventId: string;
  aggregateId: string;
  sequence: number;
}

/**
 * Reads the messages as a consumer of the topic would: each partition in offset order (which is the
 * order TopicWatcher records them in), the first copy of an eventId applied, later copies dropped.
 */
export function deliveries(messages: readonly ReceivedMessage[]): Deliveries {
  const seen = new Map<string, Envelope>();
  const sequences = new Map<string, number[]>();
  const partitions = new Map<string, Set<number>>();
  const inconsistentCopies: string[] = [];
  let duplicates = 0;
  for (const message of messages) {
    const event = JSON.parse(message.value ?? 'null') as Envelope;
    const first = seen.get(event.eventId);
    if (first) {
      duplicates += 1;
      if (first.aggregateId !== event.aggregateId || first.sequence !== event.sequence) inconsistentCopies.push(event.eventId);
      continue;
    }
    seen.set(event.eventId, event);
    const applied = sequences.get(event.aggregateId) ?? [];
    applied.push(event.sequence);
    sequences.set(event.aggregateId, applied);
    partitions.set(event.aggregateId, (partitions.get(event.aggregateId) ?? new Set()).add(message.partition));
  }
  return { distinct: seen.size, duplicates, sequences, partitions, inconsistentCopies };
}

/** Aggregates whose applied sequences are not exactly 1, 2, …, `expected`. */
export function aggregatesOutOfOrder(result: Deliveries, expected: number): string[] {
  return [...result.sequences]
    .filter(([, applied]) => applied.length !== expected || applied.some((sequence, i) => sequence !== i + 1))
    .map(([aggregateId, applied]) => `${aggregateId}: ${applied.join(',')}`);
}
