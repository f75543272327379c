import type { EventEnvelope } from '../contracts/index.js';
import type { SourceRecord } from '../messaging/index.js';

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
