import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS } from '@faultline/shared/dead-letter';
import { type KafkaClient, type ReceivedMessage, type TopicWatcher } from '@faultline/shared/messaging';
import { MARKER_HEADER, type BadEvent } from './bad-events.js';

/**
 * The consumers of the order events topic: billing's and notifications' (their config.ts) and the
 * order-fulfilment saga's starter in orders (ORDER_FULFILMENT_STARTER). Each runs the same consuming
 * pipeline with the default decoder (decodeEvent) and ordering guard, and dead-letters to
 * `<group>.dlq`, so every bad event must arrive once in each of these topics, for the same reason.
 */
export const ORDER_EVENT_CONSUMERS = ['billing-orders', 'notifications-orders', 'orders-fulfilment'] as const;
export type OrderEventConsumer = (typeof ORDER_EVENT_CONSUMERS)[number];

/**
 * The topics a consumer reads besides the order events: its retry topics (one per delay of the
 * default failure policy: 10 s, 1 min, 10 min) and its redrive topic (RetryTopics in
 * @faultline/shared/dead-letter). Only that consumer reads them, so only it must dead-letter what
 * arrives there.
 */
const RETRY_STAGES = 3;
const consumerOwnTopics = (group: OrderEventConsumer) => [
  ...Array.from({ length: RETRY_STAGES }, (_, index) => `${group}.retry.${index + 1}`),
  `${group}.redrive`,
];
/** Every n-th bad event goes to one consumer's own topics instead of the order events topic. */
const OWN_TOPIC_EVERY = 5;

interface Target {
  topic: string;
  consumers: readonly OrderEventConsumer[];
}

/** Each consumer's own topics, with the one consumer that reads each. */
function targets(): Target[] {
  return ORDER_EVENT_CONSUMERS.flatMap((group) => consumerOwnTopics(group).map((topic) => ({ topic, consumers: [group] })));
}

/** Records at most this size go out in one batch; kafkajs sends a batch as one request, and Kafka refuses requests over 1 MB. */
const BATCH_BYTES = 200_000;

export interface PublishedBadEvent extends BadEvent {
  marker: string;
  topic: string;
  /** The consumers that read `topic`, each of which must dead-letter the event. */
  consumers: readonly OrderEventConsumer[];
}

export interface DeadLetterAudit {
  /** Per consumer: bad events found in its dead-letter topic with the right context. */
  matched: Record<OrderEventConsumer, number>;
  /** Per consumer: bad events it had to dead-letter. */
  expected: Record<OrderEventConsumer, number>;
  /** Dead letters of ours seen more than once in one consumer's topic (a redelivery after a rebalance). */
  duplicates: number;
  /** What is missing or wrong, one line per event and consumer. */
  problems: string[];
}

/**
 * Publishes bad events to the topics the consumers read and checks, event by event, that each
 * consumer reading the topic dead-lettered it with its context (article 3: a dead letter without its source offset and reason
 * is a message nobody can explain or redrive). Watchers on the source topic (for each record's
 * partition and offset) and on each dead-letter topic start before the first record is sent.
 */
export class DeadLetterAuditor {
  private constructor(
    private readonly kafka: KafkaClient,
    private readonly sources: readonly TopicWatcher[],
    private readonly deadLetters: Record<OrderEventConsumer, TopicWatcher>,
    readonly runId: string,
  ) {}

  static async start(kafka: KafkaClient, runId: string): Promise<DeadLetterAuditor> {
    // The consumers create these topics when they start; creating them here (same spec) lets the
    // watchers subscribe even if a consumer is still connecting.
    const ownTopics = ORDER_EVENT_CONSUMERS.flatMap((group) => [`${group}.dlq`, ...consumerOwnTopics(group)]);
    await kafka.ensureTopics(ownTopics.map((topic) => ({ topic, numPartitions: 1 })));
    const sources = await Promise.all([ORDER_EVENTS_TOPIC, ...targets().map((target) => target.topic)].map((topic) => kafka.watchTopic(topic)));
    const deadLetters = await Promise.all(ORDER_EVENT_CONSUMERS.map(async (group) => [group, await kafka.watchTopic(`${group}.dlq`)] as const));
    return new DeadLetterAuditor(kafka, sources, Object.fromEntries(deadLetters) as Record<OrderEventConsumer, TopicWatcher>, runId);
  }

  /** Sends each event with its marker header, in order, batched per topic under BATCH_BYTES. */
  async publish(events: readonly BadEvent[]): Promise<PublishedBadEvent[]> {
    const producer = this.kafka.createOrderedProducer();
    const own = targets();
    const published = events.map((event, index): PublishedBadEvent => {
      const target = index % OWN_TOPIC_EVERY === OWN_TOPIC_EVERY - 1 ? own[Math.floor(index / OWN_TOPIC_EVERY) % own.length] : undefined;
      return { ...event, marker: `${this.runId}/${index}`, ...(target ?? { topic: ORDER_EVENTS_TOPIC, consumers: ORDER_EVENT_CONSUMERS }) };
    });
    for (const topic of new Set(published.map((event) => event.topic))) {
      let batch: PublishedBadEvent[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await producer.send(
          topic,
          batch.map((event) => ({ key: event.key, value: event.value, headers: { [MARKER_HEADER]: event.marker } })),
        );
        batch = [];
        bytes = 0;
      };
      for (const event of published.filter((candidate) => candidate.topic === topic)) {
        if (bytes + event.value.length > BATCH_BYTES) await flush();
        batch.push(event);
        bytes += event.value.length;
      }
      await flush();
    }
    return published;
  }

  /** Resolves once every event is in every consumer's dead-letter topic, or when `timeoutMs` has passed. */
  async awaitDeadLetters(published: readonly PublishedBadEvent[], timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const all = () =>
      ORDER_EVENT_CONSUMERS.every((consumer) => {
        const seen = new Set(this.deadLetters[consumer].messages.map((message) => message.headers[MARKER_HEADER]));
        return published.every((event) => !event.consumers.includes(consumer) || seen.has(event.marker));
      });
    while (!all() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  }

  /** Matches each published event to its dead letter in each consumer's topic and checks the context. */
  audit(published: readonly PublishedBadEvent[]): DeadLetterAudit {
    const sourceByMarker = byMarker(this.sources.flatMap((watcher) => watcher.messages));
    const perConsumer = () => Object.fromEntries(ORDER_EVENT_CONSUMERS.map((consumer) => [consumer, 0])) as Record<OrderEventConsumer, number>;
    const result: DeadLetterAudit = {
      matched: perConsumer(),
      expected: perConsumer(),
      duplicates: 0,
      problems: [],
    };
    for (const consumer of ORDER_EVENT_CONSUMERS) {
      const letters = new Map<string, ReceivedMessage[]>();
      for (const message of this.deadLetters[consumer].messages) {
        const marker = message.headers[MARKER_HEADER];
        if (marker?.startsWith(`${this.runId}/`)) letters.set(marker, [...(letters.get(marker) ?? []), message]);
      }
      for (const event of published.filter((candidate) => candidate.consumers.includes(consumer))) {
        result.expected[consumer] += 1;
        const found = letters.get(event.marker) ?? [];
        if (found.length > 1) {
          result.duplicates += found.length - 1;
          result.problems.push(`${consumer} ${event.marker} (${event.kind} on ${event.topic}): dead-lettered ${found.length} times`);
        }
        const [letter] = found;
        const wrong = letter ? contextProblems(event, letter, sourceByMarker.get(event.marker), consumer) : ['not dead-lettered'];
        if (wrong.length === 0) result.matched[consumer] += 1;
        else result.problems.push(`${consumer} ${event.marker} (${event.kind} on ${event.topic}): ${wrong.join('; ')}`);
      }
    }
    return result;
  }
}

function byMarker(messages: readonly ReceivedMessage[]): Map<string, ReceivedMessage> {
  const found = new Map<string, ReceivedMessage>();
  for (const message of messages) {
    const marker = message.headers[MARKER_HEADER];
    if (marker !== undefined && !found.has(marker)) found.set(marker, message);
  }
  return found;
}

/** What the dead letter gets wrong about the record it stands for; empty when its context is complete and right. */
function contextProblems(event: PublishedBadEvent, letter: ReceivedMessage, source: ReceivedMessage | undefined, consumer: string): string[] {
  const h = DEAD_LETTER_HEADERS;
  const header = (name: string) => letter.headers[name];
  const problems: string[] = [];
  if (header(h.reason) !== event.expectedReason) problems.push(`reason ${header(h.reason) ?? 'missing'}, expected ${event.expectedReason}`);
  if (header(h.sourceTopic) !== event.topic) problems.push(`source topic ${header(h.sourceTopic) ?? 'missing'}, published to ${event.topic}`);
  if (!source) problems.push('its source record was not seen on the topic');
  else if (header(h.sourcePartition) !== String(source.partition) || header(h.sourceOffset) !== source.offset) {
    problems.push(`source ${header(h.sourcePartition) ?? '?'}/${header(h.sourceOffset) ?? '?'}, published at ${source.partition}/${source.offset}`);
  }
  if (header(h.consumer) !== consumer) problems.push(`consumer ${header(h.consumer) ?? 'missing'}`);
  if (!header(h.errorMessage)) problems.push('no error message');
  // Sent as UTF-8, so a lone surrogate in a garbage value arrives as U+FFFD in both copies.
  if ((letter.value ?? '') !== Buffer.from(event.value, 'utf8').toString('utf8')) problems.push('the original value was not kept');
  if (event.eventId !== undefined && eventIdIn(letter.value) !== event.eventId) problems.push(`event id ${JSON.stringify(event.eventId)} not in the dead letter`);
  return problems;
}

/**
 * The event id the dead letter's copy of the record carries, read as JSON: the text may escape it
 * (a control character, an unpaired surrogate), so it is compared as a value, not searched as text.
 */
function eventIdIn(value: string | null | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value ?? '');
    return typeof parsed === 'object' && parsed !== null && 'eventId' in parsed && typeof parsed.eventId === 'string' ? parsed.eventId : undefined;
  } catch {
    return undefined;
  }
}
