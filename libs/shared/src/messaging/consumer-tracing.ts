import { ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import type { DecodedEvent } from '../contracts/index.js';
import { withLogFields } from '../observability/index.js';
import type { SourceRecord } from './source-record.js';
import { MESSAGING_TRACER, recordFailure, traceContextOf } from './trace-context.js';

/** A consumed record and, once decoded, its event. */
export interface TracedRecord {
  record: SourceRecord;
  event?: DecodedEvent;
}

/**
 * The consumer's spans. Each event is handled in a CONSUMER span `<topic> process`, a child of the
 * trace its record carries: the `traceparent` header (the outbox relay's publish span; a retry
 * topic's copy and a redriven dead letter keep it), else the envelope's own (a producer that sets
 * no headers), else a new trace. The work runs inside the span, so the handler's queries, HTTP
 * calls and workflow starts join that trace, and inside the event's correlation id as a log field,
 * so every line logged while handling it names the business flow it belongs to.
 *
 * A run of records applied in one transaction (ADR 0012) belongs to as many traces as it has
 * records: its span `<topic> process batch` starts a trace of its own and links to each record's
 * context, while each record's own span is still a child of its context. A failure thrown by the
 * work marks the span failed (exception event, status ERROR) and is thrown on. Untraced (no SDK),
 * the spans are the API's no-ops and only the log field remains.
 */
export class ConsumerTracing {
  constructor(private readonly groupId: string) {}

  /** Runs `work`, the handling of one record, in its `<topic> process` span. */
  process<T>(record: SourceRecord, event: DecodedEvent | undefined, work: () => Promise<T>): Promise<T> {
    const traced = () =>
      trace
        .getTracer(MESSAGING_TRACER)
        .startActiveSpan(
          `${record.topic} process`,
          { kind: SpanKind.CONSUMER, attributes: { ...this.partitionAttributes(record), ...recordAttributes(record), ...eventAttributes(event) } },
          contextOf({ record, event }) ?? ROOT_CONTEXT,
          (span) => endedAfter(span, work),
        );
    return event ? withLogFields({ correlationId: event.correlationId }, traced) : traced();
  }

  /** Runs `work`, the one transaction of a run of one partition's records, in its batch span. */
  processRun<T>(records: readonly TracedRecord[], work: () => Promise<T>): Promise<T> {
    const first = records[0]?.record;
    if (!first) return work();
    const links: Link[] = [];
    for (const traced of records) {
      const linked = contextOf(traced);
      const spanContext = linked && trace.getSpanContext(linked);
      if (spanContext) links.push({ context: spanContext });
    }
    const attributes = { ...this.partitionAttributes(first), 'messaging.batch.message_count': records.length };
    return trace
      .getTracer(MESSAGING_TRACER)
      .startActiveSpan(
        `${first.topic} process batch`,
        { kind: SpanKind.CONSUMER, links, attributes },
        ROOT_CONTEXT,
        (span) => endedAfter(span, work),
      );
  }

  private partitionAttributes(record: SourceRecord): Attributes {
    return {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': record.topic,
      'messaging.destination.partition.id': String(record.partition),
      'messaging.consumer.group.name': this.groupId,
    };
  }
}

function recordAttributes(record: SourceRecord): Attributes {
  return {
    'messaging.kafka.offset': Number(record.offset),
    ...(record.key !== null && { 'messaging.kafka.message.key': record.key }),
  };
}

function eventAttributes(event: DecodedEvent | undefined): Attributes {
  if (!event) return {};
  return {
    'messaging.message.id': event.eventId,
    'messaging.message.conversation_id': event.correlationId,
    'faultline.event.type': event.type,
  };
}

/** The context a record continues: its headers', else its envelope's; undefined when neither names one. */
function contextOf({ record, event }: TracedRecord): Context | undefined {
  return traceContextOf(record.headers) ?? (event ? traceContextOf(event) : undefined);
}

async function endedAfter<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    recordFailure(error, span);
    throw error;
  } finally {
    span.end();
  }
}
