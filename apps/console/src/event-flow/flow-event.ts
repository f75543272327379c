import { eventEnvelopeSchema } from '@faultline/shared/contracts';
import type { FlowEvent } from '../console-api.js';

/** A record as kafkajs hands it over, its key and value decoded as UTF-8. */
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  value: string | null;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * What the page shows of a record. A value that is not an envelope is listed too, with the reason:
 * the console shows what is on the topic, not what should be.
 */
export function flowEventOf(record: KafkaRecord): FlowEvent {
  const at = { topic: record.topic, partition: record.partition, offset: record.offset, appendedAt: Number(record.timestamp) };
  let json: unknown;
  try {
    json = JSON.parse(record.value ?? '');
  } catch {
    return { ...at, type: null, aggregateId: record.key, sequence: null, correlationId: null, traceId: null, problem: 'not JSON' };
  }
  const envelope = eventEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    const problem = `not an event envelope (${first?.path.join('.') || 'value'}: ${first?.message ?? 'invalid'})`;
    return { ...at, type: null, aggregateId: record.key, sequence: null, correlationId: null, traceId: null, problem };
  }
  const { type, aggregateId, sequence, correlationId, traceparent } = envelope.data;
  return { ...at, type, aggregateId, sequence, correlationId, traceId: TRACEPARENT.exec(traceparent ?? '')?.[1] ?? null };
}

/** The last `capacity` events seen, oldest first: what a page that opens late is sent first. */
export class RecentEvents {
  private readonly events: FlowEvent[] = [];

  constructor(private readonly capacity: number) {}

  add(event: FlowEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
  }

  list(): FlowEvent[] {
    return [...this.events];
  }
}
