import type { KafkaMessage } from 'kafkajs';

/** Where a message was read from: kept so a dead letter can say exactly which record failed. */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The record's value exactly as it arrived (a dead letter carries the original bytes). */
  value: string;
  headers: Record<string, string>;
}

/** A kafkajs message as a SourceRecord: key and value as UTF-8 text, each header as one string. */
export function toSourceRecord(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? '',
    headers,
  };
}
