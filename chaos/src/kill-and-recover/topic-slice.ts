import type { KafkaClient, StoredRecord } from '@faultline/shared/messaging';

/** Per partition of one topic: the offset the next record was to get when the run started. */
export type PartitionStarts = Map<number, bigint>;

/**
 * Where each topic ended when the run started: everything at or after these offsets was written
 * during the run. A topic that does not exist yet gets an empty map (read from its first record).
 */
export async function topicEnds(kafka: KafkaClient, topics: readonly string[]): Promise<Map<string, PartitionStarts>> {
  const ends = new Map<string, PartitionStarts>();
  for (const topic of topics) {
    // The group is never joined: partitionProgress only asks for its committed offsets (none).
    const progress = await kafka.partitionProgress(topic, `${kafka.clientId}-ends`).catch(() => []);
    ends.set(topic, new Map(progress.map(({ partition, end }) => [partition, end])));
  }
  return ends;
}

/**
 * Every record written to the topics since `starts`, up to each partition's end at the time of the
 * call. Reads the run's slice only: the topics hold every earlier run's records too, and reading them
 * all would grow with the machine's history.
 */
export async function readTopicsSince(kafka: KafkaClient, starts: ReadonlyMap<string, PartitionStarts>, timeoutMs: number): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for (const [topic, from] of starts) records.push(...(await kafka.readTopic(topic, { timeoutMs, from })));
  return records;
}
