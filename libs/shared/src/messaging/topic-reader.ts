import type { Kafka } from 'kafkajs';

/** A record read back by readTopic, with the time Kafka stored it. */
export interface StoredRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: Date;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

export interface ReadTopicOptions {
  timeoutMs?: number;
  /** Per partition, the first offset to read; partitions not in it are read from their first retained offset. */
  from?: ReadonlyMap<number, bigint>;
}

/**
 * Every record of `topic` from its first retained offset (or, per partition, from the offset in
 * `from`) up to its end at the time of the call, on a throw-away group (`groupId`) that commits
 * nothing. For small topics a person inspects, such as a dead-letter topic (article 3), or the
 * slice of a busy topic one run wrote; a missing topic reads as empty.
 */
export async function readTopic(kafka: Kafka, groupId: string, topic: string, { timeoutMs = 30_000, from }: ReadTopicOptions): Promise<StoredRecord[]> {
  const admin = kafka.admin({ retry: { retries: 3 } });
  let ends: { partition: number; high: string; low: string }[];
  try {
    await admin.connect();
    if (!(await admin.listTopics()).includes(topic)) return [];
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const slices = new Map(
    ends
      .map((p) => ({ partition: p.partition, start: bigMax(BigInt(p.low), from?.get(p.partition) ?? 0n), end: BigInt(p.high) }))
      .filter((p) => p.end > p.start)
      .map((p) => [p.partition, p]),
  );
  if (slices.size === 0) return [];
  const records: StoredRecord[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms (${records.length} records read)`)),
        timeoutMs,
      );
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        reject(payload.error);
      });
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const slice = slices.get(partition);
            const offset = BigInt(message.offset);
            if (slice === undefined || offset < slice.start) return;
            if (offset < slice.end) {
              records.push({
                topic,
                partition,
                offset: message.offset,
                timestamp: new Date(Number(message.timestamp)),
                key: message.key?.toString('utf8') ?? null,
                value: message.value?.toString('utf8') ?? '',
                headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
              });
            }
            if (offset + 1n >= slice.end) slices.delete(partition);
            if (slices.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        // Skip what comes before the slice instead of reading through it (seek wants a running consumer).
        .then(() => {
          for (const { partition, start } of slices.values()) if (from?.has(partition)) consumer.seek({ topic, partition, offset: String(start) });
        }, reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
