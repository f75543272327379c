import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { InvariantCheck } from '../../chaos-report.js';
import type { OrderOutcome, SystemLedgers } from '../system-ledgers.js';
import { examples } from './invariant-examples.js';

/**
 * Every event out: no outbox row of the run left, each event of the event store on the topic, and
 * each order's events on one partition in sequence order. `produced` counts the run's events.
 */
export function judgePublication(
  orders: readonly OrderOutcome[],
  ledgers: SystemLedgers,
  produced: number,
): { check: InvariantCheck; unpublished: number; topic: TopicVerdict } {
  const unpublished = Object.values(ledgers.unpublishedOfRun).reduce((sum, count) => sum + count, 0);
  const topic = judgeTopic(orders, ledgers);
  const check: InvariantCheck = {
    name: `every event of the run is published: no outbox row left, each event on ${ORDER_EVENTS_TOPIC}, each order's events on one partition in sequence order`,
    holds: unpublished === 0 && topic.missing.length === 0 && topic.unknown.length === 0 && topic.split.length === 0 && topic.outOfOrder.length === 0,
    detail:
      (Object.entries(ledgers.unpublishedOfRun)
        .map(([database, count]) => `${database}: ${count} of the run unpublished (${ledgers.unpublishedTotal[database] ?? 0} in the table, other suites' included)`)
        .join('; ') || 'no service database has an outbox') +
      `; on the topic: ${topic.records} records of ${produced} events, ${topic.missing.length} events missing${examples(topic.missing)}, ` +
      `${topic.unknown.length} records the event store does not hold${examples(topic.unknown)}, ` +
      `${topic.split.length} orders on more than one partition${examples(topic.split)}, ` +
      `${topic.outOfOrder.length} events first written before their predecessor${examples(topic.outOfOrder)}; ` +
      `${topic.republished} re-publications of an event already on the topic (allowed: the relay's at-least-once)`,
  };
  return { check, unpublished, topic };
}

/** What the topic says about the run's events, against the event store's streams. */
export interface TopicVerdict {
  /** Records of the run's orders on the topic, re-publications included. */
  records: number;
  /** Event ids in the event store with no record on the topic. */
  missing: string[];
  /** Event ids on the topic that the event store does not hold for that order. */
  unknown: string[];
  /** Orders whose records are on more than one partition. */
  split: string[];
  /** `<order>#<sequence>`: its first record is at a lower offset than its predecessor's first. */
  outOfOrder: string[];
  /** Records of an event that was already on the topic (the relay published it again after a take-over or a lost acknowledgement). */
  republished: number;
}

function judgeTopic(orders: readonly OrderOutcome[], ledgers: SystemLedgers): TopicVerdict {
  const verdict: TopicVerdict = { records: 0, missing: [], unknown: [], split: [], outOfOrder: [], republished: 0 };
  for (const order of orders) {
    const records = ledgers.published.get(order.orderId) ?? [];
    verdict.records += records.length;
    const stored = new Set(order.stream.map((event) => event.eventId));
    const onTopic = new Set(records.map((record) => record.eventId));
    verdict.missing.push(...order.stream.filter((event) => !onTopic.has(event.eventId)).map((event) => event.eventId));
    verdict.unknown.push(...[...onTopic].filter((eventId) => !stored.has(eventId)));
    verdict.republished += records.length - onTopic.size;
    if (new Set(records.map((record) => record.partition)).size > 1) {
      // Offsets of two partitions do not compare: the order check means nothing for this order.
      verdict.split.push(order.orderId);
      continue;
    }
    const firstOffset = new Map<number, bigint>();
    for (const record of records) {
      const known = firstOffset.get(record.sequence);
      if (known === undefined || record.offset < known) firstOffset.set(record.sequence, record.offset);
    }
    for (const { sequence } of order.stream) {
      const at = firstOffset.get(sequence);
      const before = firstOffset.get(sequence - 1);
      if (at !== undefined && before !== undefined && at < before) verdict.outOfOrder.push(`${order.orderId}#${sequence}`);
    }
  }
  return verdict;
}
