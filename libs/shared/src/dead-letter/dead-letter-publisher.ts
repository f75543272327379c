import type { OrderedProducer, SourceRecord } from '../messaging/index.js';
import { originOf, withoutRetryHeaders } from './retry-topics.js';

/**
 * Why a record was dead-lettered: it can never be decoded, or the gap before it never filled, or its
 * handler failed for good (non-retryable) or for longer than the retry topics wait
 * (retries-exhausted, the one reason that is redriven automatically); or, only in the workshop's
 * naive consumer (article 4), its handler threw.
 */
export type DeadLetterReason = 'invalid-event' | 'ordering-gap-expired' | 'non-retryable' | 'retries-exhausted' | 'handler-failed';

export interface DeadLetterFailure {
  reason: DeadLetterReason;
  errorClass: string;
  errorMessage: string;
  firstFailureAt: Date;
  attempts: number;
  /** True when the failure was transient: redriven automatically once the dependency is healthy. */
  retryable?: boolean;
}

/** Names of the context headers every dead letter carries (besides the record's own headers). */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  errorClass: 'x-dead-letter-error-class',
  errorMessage: 'x-dead-letter-error-message',
  sourceTopic: 'x-dead-letter-source-topic',
  sourcePartition: 'x-dead-letter-source-partition',
  sourceOffset: 'x-dead-letter-source-offset',
  consumer: 'x-dead-letter-consumer',
  consumerVersion: 'x-dead-letter-consumer-version',
  firstFailureAt: 'x-dead-letter-first-failure-at',
  attempts: 'x-dead-letter-attempts',
  retryable: 'x-dead-letter-retryable',
  traceId: 'x-dead-letter-trace-id',
} as const;

/**
 * Writes a record that cannot be applied to the consumer's dead-letter topic, with its original key,
 * value and headers and the context a person needs to act on it (article 3: a dead letter without
 * its source offset and error is a message nobody can redrive or explain). The caller commits the
 * source offset only after `publish` resolved.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: OrderedProducer,
    readonly topic: string,
    private readonly consumer: { name: string; version: string },
  ) {}

  async publish(record: SourceRecord, failure: DeadLetterFailure): Promise<void> {
    const h = DEAD_LETTER_HEADERS;
    // A record read back from a retry topic is dead-lettered as the record it was at its source.
    const origin = originOf(record);
    await this.producer.send(this.topic, [
      {
        // An unkeyed record (a producer bug) still needs a key for the ordered producer.
        key: record.key ?? `${origin.topic}/${origin.partition}`,
        value: record.value,
        headers: {
          ...withoutRetryHeaders(record.headers),
          [h.reason]: failure.reason,
          [h.errorClass]: failure.errorClass,
          // Header values travel with every fetch of the topic: keep them bounded.
          [h.errorMessage]: failure.errorMessage.slice(0, 2_000),
          [h.sourceTopic]: origin.topic,
          [h.sourcePartition]: String(origin.partition),
          [h.sourceOffset]: origin.offset,
          [h.consumer]: this.consumer.name,
          [h.consumerVersion]: this.consumer.version,
          [h.firstFailureAt]: failure.firstFailureAt.toISOString(),
          [h.attempts]: String(failure.attempts),
          [h.retryable]: String(failure.retryable ?? false),
          [h.traceId]: traceIdOf(record),
        },
      },
    ]);
  }
}

/**
 * The trace the record belongs to: the W3C traceparent's trace id when the producer set one, else
 * the envelope's correlation id (every event has one), so a dead letter can be found in the logs.
 */
function traceIdOf(record: SourceRecord): string {
  const envelope = envelopeTraceOf(record);
  return traceIdOfTraceparent(record.headers.traceparent) ?? traceIdOfTraceparent(envelope.traceparent) ?? envelope.correlationId ?? 'unknown';
}

/**
 * The envelope's trace context and correlation id, read leniently from a record that may not decode
 * at all (then both are absent). For the failure paths only: it parses the record's value.
 */
export function envelopeTraceOf(record: SourceRecord): { traceparent?: string; correlationId?: string } {
  try {
    const parsed: unknown = JSON.parse(record.value);
    if (!parsed || typeof parsed !== 'object') return {};
    const { traceparent, correlationId } = parsed as { traceparent?: unknown; correlationId?: unknown };
    return {
      ...(typeof traceparent === 'string' && { traceparent }),
      ...(typeof correlationId === 'string' && { correlationId }),
    };
  } catch {
    // An undecodable record has no trace to name.
    return {};
  }
}

/** `00-<trace id>-<span id>-<flags>` → the trace id. */
function traceIdOfTraceparent(traceparent: string | undefined): string | undefined {
  const traceId = traceparent?.split('-')[1];
  return traceId && /^[0-9a-f]{32}$/.test(traceId) ? traceId : undefined;
}
