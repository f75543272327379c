import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock/index.js';
import type { KafkaClient, OrderedProducer, StoredRecord } from '../messaging/index.js';
import { DEAD_LETTER_HEADERS, type DeadLetterReason } from './dead-letter-publisher.js';
import { RETRY_HEADERS } from './retry-topics.js';

/** One record of a dead-letter topic, with its context headers read back. */
export interface DeadLetter {
  /** Its offset in the dead-letter topic (one partition): the id the dlq command shows and takes. */
  id: string;
  deadLetteredAt: Date;
  key: string | null;
  value: string;
  /** The record's own headers, without the x-dead-letter-* context. */
  headers: Record<string, string>;
  reason: DeadLetterReason | string;
  errorClass: string;
  errorMessage: string;
  source: { topic: string; partition: number; offset: string };
  consumer: { name: string; version: string };
  firstFailureAt: Date;
  attempts: number;
  retryable: boolean;
  traceId: string;
  /** Set once it was redriven or archived; a resolved dead letter no longer counts in the depth. */
  resolution?: DeadLetterResolution;
}

export interface DeadLetterResolution {
  action: 'redriven' | 'archived';
  at: string;
  /** Who or what: `auto-redrive`, `dlq command`, `retention`. */
  by: string;
}

export interface DeadLetterFilter {
  errorClass?: string;
  reason?: string;
  retryable?: boolean;
  /** Only dead letters whose first failure is at least this old. */
  olderThanMs?: number;
  /** Only these ids. */
  ids?: readonly string[];
  includeResolved?: boolean;
}

/**
 * A consumer's dead letters as the dead-letter topic holds them, plus what became of each (article 3).
 * Kafka topics are append-only, so "redriven" and "archived" are facts written to a companion topic,
 * `<dlq>.resolutions` (keyed by the dead letter's id), rather than deletions: nothing is ever
 * silently removed. Archived records are also copied to `<dlq>.archive`, which keeps them after the
 * dead-letter topic's own retention has expired.
 */
export class DeadLetterLedger {
  constructor(
    private readonly kafka: KafkaClient,
    readonly topic: string,
    /** Stamps resolutions and measures ages (`olderThanMs`) when the caller passes no `now`. */
    private readonly clock: Clock,
  ) {}

  get resolutionsTopic(): string {
    return `${this.topic}.resolutions`;
  }

  get archiveTopic(): string {
    return `${this.topic}.archive`;
  }

  /** `<groupId>.dlq` → `<groupId>.redrive`, the topic only that consumer reads redriven records from. */
  get redriveTopic(): string {
    return `${this.topic.replace(/\.dlq$/, '')}.redrive`;
  }

  async list(filter: DeadLetterFilter = {}, now = this.clock.now()): Promise<DeadLetter[]> {
    const [records, resolutions] = await Promise.all([this.kafka.readTopic(this.topic), this.kafka.readTopic(this.resolutionsTopic)]);
    const resolved = new Map<string, DeadLetterResolution>();
    for (const record of resolutions) if (record.key) resolved.set(record.key, JSON.parse(record.value) as DeadLetterResolution);
    return records
      .map((record) => toDeadLetter(record, resolved.get(record.offset)))
      .filter((letter) => matches(letter, filter, now));
  }

  /**
   * Sends each matching unresolved dead letter back to its consumer through the redrive topic, at
   * most `perSecond` a second (a redrive must not flood a dependency that has just come back),
   * and records it as redriven. Running it twice redrives nothing the second time, unless the filter
   * asks for resolved ones too (`includeResolved`, the dlq command's `--all`): then each is sent
   * again, and the consumer's inbox applies the event once whatever the number of deliveries.
   */
  async redrive(
    producer: OrderedProducer,
    filter: DeadLetterFilter,
    { perSecond, by, now = this.clock.now() }: { perSecond: number; by: string; now?: Date },
  ): Promise<DeadLetter[]> {
    const letters = await this.list({ ...filter, includeResolved: filter.includeResolved ?? false }, now);
    const interval = 1_000 / perSecond;
    for (const [index, letter] of letters.entries()) {
      if (index > 0) await sleep(interval);
      await producer.send(this.redriveTopic, [
        {
          key: letter.key ?? `${letter.source.topic}/${letter.source.partition}`,
          value: letter.value,
          headers: {
            ...letter.headers,
            // The redriven record keeps its origin and history, so a new dead letter of it still
            // names the source offset, the first failure and every attempt.
            [RETRY_HEADERS.sourceTopic]: letter.source.topic,
            [RETRY_HEADERS.sourcePartition]: String(letter.source.partition),
            [RETRY_HEADERS.sourceOffset]: letter.source.offset,
            [RETRY_HEADERS.attempts]: String(letter.attempts),
            [RETRY_HEADERS.firstFailureAt]: letter.firstFailureAt.toISOString(),
          },
        },
      ]);
      await this.resolve(producer, letter, { action: 'redriven', at: this.clock.now().toISOString(), by });
    }
    return letters;
  }

  /** Copies each matching unresolved dead letter to the archive topic, then records it as archived. */
  async archive(producer: OrderedProducer, filter: DeadLetterFilter, { by, now = this.clock.now() }: { by: string; now?: Date }): Promise<DeadLetter[]> {
    const letters = await this.list({ ...filter, includeResolved: false }, now);
    for (const letter of letters) {
      const at = this.clock.now().toISOString();
      await producer.send(this.archiveTopic, [
        {
          key: letter.key ?? letter.id,
          value: letter.value,
          headers: { ...letter.headers, ...contextHeaders(letter), 'x-dead-letter-id': letter.id, 'x-dead-letter-archived-at': at },
        },
      ]);
      await this.resolve(producer, letter, { action: 'archived', at, by });
    }
    return letters;
  }

  private async resolve(producer: OrderedProducer, letter: DeadLetter, resolution: DeadLetterResolution): Promise<void> {
    await producer.send(this.resolutionsTopic, [{ key: letter.id, value: JSON.stringify(resolution) }]);
  }
}

function toDeadLetter(record: StoredRecord, resolution: DeadLetterResolution | undefined): DeadLetter {
  const h = DEAD_LETTER_HEADERS;
  const context = new Set<string>(Object.values(h));
  const header = (name: string) => record.headers[name] ?? '';
  return {
    id: record.offset,
    deadLetteredAt: record.timestamp,
    key: record.key,
    value: record.value,
    headers: Object.fromEntries(Object.entries(record.headers).filter(([name]) => !context.has(name))),
    reason: header(h.reason),
    errorClass: header(h.errorClass),
    errorMessage: header(h.errorMessage),
    source: { topic: header(h.sourceTopic), partition: Number(header(h.sourcePartition)), offset: header(h.sourceOffset) },
    consumer: { name: header(h.consumer), version: header(h.consumerVersion) },
    firstFailureAt: new Date(record.headers[h.firstFailureAt] ?? record.timestamp.toISOString()),
    attempts: Number(header(h.attempts) || 1),
    retryable: header(h.retryable) === 'true',
    traceId: header(h.traceId),
    resolution,
  };
}

function contextHeaders(letter: DeadLetter): Record<string, string> {
  const h = DEAD_LETTER_HEADERS;
  return {
    [h.reason]: letter.reason,
    [h.errorClass]: letter.errorClass,
    [h.errorMessage]: letter.errorMessage,
    [h.sourceTopic]: letter.source.topic,
    [h.sourcePartition]: String(letter.source.partition),
    [h.sourceOffset]: letter.source.offset,
    [h.consumer]: letter.consumer.name,
    [h.consumerVersion]: letter.consumer.version,
    [h.firstFailureAt]: letter.firstFailureAt.toISOString(),
    [h.attempts]: String(letter.attempts),
    [h.retryable]: String(letter.retryable),
    [h.traceId]: letter.traceId,
  };
}

function matches(letter: DeadLetter, filter: DeadLetterFilter, now: Date): boolean {
  if (!filter.includeResolved && letter.resolution) return false;
  if (filter.errorClass && letter.errorClass !== filter.errorClass) return false;
  if (filter.reason && letter.reason !== filter.reason) return false;
  if (filter.retryable !== undefined && letter.retryable !== filter.retryable) return false;
  if (filter.olderThanMs !== undefined && now.getTime() - letter.firstFailureAt.getTime() < filter.olderThanMs) return false;
  if (filter.ids && !filter.ids.includes(letter.id)) return false;
  return true;
}
