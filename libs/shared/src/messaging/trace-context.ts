import { ROOT_CONTEXT, SpanStatusCode, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * The W3C trace context an event travels with: stored in its envelope by the outbox, and carried
 * as Kafka headers of the same names by every record the relay publishes.
 */
export interface TraceContextFields {
  traceparent?: string;
  tracestate?: string;
}

/** The tracer (instrumentation scope) of the outbox relay's and the consumers' spans. */
export const MESSAGING_TRACER = '@faultline/shared/messaging';

/**
 * The active trace context as W3C fields, for an event written now; empty when nothing is traced:
 * no SDK runs (the API's propagator is then a no-op) or no span is active.
 */
export function activeTraceContext(): TraceContextFields {
  const { traceparent, tracestate } = traceHeaders(context.active());
  return { ...(traceparent && { traceparent }), ...(tracestate && { tracestate }) };
}

/** The context `fields` name, on ROOT_CONTEXT; undefined when they name none (absent or malformed). */
export function traceContextOf(fields: TraceContextFields): Context | undefined {
  const extracted = propagation.extract(ROOT_CONTEXT, fields);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/** `ctx` as the headers the global propagator writes (`traceparent`, `tracestate`); empty untraced. */
export function traceHeaders(ctx: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

/**
 * Marks `span` (the active one unless given) failed with `error`: the exception as a span event, and
 * the status ERROR. For failures that are dealt with rather than thrown on, too (a dead-lettered
 * record): the span still shows what went wrong.
 */
export function recordFailure(error: unknown, span: Span | undefined = trace.getActiveSpan()): void {
  if (!span) return;
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
