import { ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import { MESSAGING_TRACER, recordFailure, traceContextOf, traceHeaders, type MessageProducer, type OutgoingMessage } from '../messaging/index.js';
import type { PendingRow } from './outbox-table.js';

/**
 * Sends `rows` to `topic` in one send, each message in a PRODUCER span `<topic> publish` whose
 * parent is the trace the row was written in (the envelope's traceparent, see Outbox.append; a new
 * trace when it has none), and with that span's context in the message's `traceparent` and
 * `tracestate` headers, which the consumers continue from. The spans end when the send resolves,
 * and carry its error when it fails. Untraced (no SDK) the headers stay empty and the messages are
 * sent exactly as `toMessage` makes them.
 */
export async function sendWithPublishSpans(
  producer: MessageProducer,
  topic: string,
  rows: readonly PendingRow[],
  toMessage: (row: PendingRow) => OutgoingMessage,
): Promise<void> {
  const tracer = trace.getTracer(MESSAGING_TRACER);
  const spans: Span[] = [];
  const messages = rows.map((row) => {
    const message = toMessage(row);
    const parent = traceContextOf({ traceparent: row.traceparent ?? undefined, tracestate: row.tracestate ?? undefined }) ?? ROOT_CONTEXT;
    const span = tracer.startSpan(
      `${topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.kafka.message.key': message.key,
          'messaging.message.id': row.eventId,
          'faultline.event.type': row.eventType,
        },
      },
      parent,
    );
    spans.push(span);
    const headers = traceHeaders(trace.setSpan(parent, span));
    return Object.keys(headers).length === 0 ? message : { ...message, headers: { ...message.headers, ...headers } };
  });
  try {
    await producer.send(topic, messages);
  } catch (error) {
    for (const span of spans) recordFailure(error, span);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
