import type { EventEnvelope } from '../contracts/index.js';

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

/**
 * An event that arrived before its predecessor and waits, in the consumer's own database, for the
 * gap to fill. It is kept in a table rather than in memory because the Kafka offset moves on past
 * it: a restart must not lose it (article 4).
 */
export interface HeldEvent {
  envelope: EventEnvelope;
  source: SourceRecord;
  heldAt: Date;
}
