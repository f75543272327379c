import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { traceContextOf } from '@faultline/shared/messaging';
import { DependencyClientError } from '@faultline/shared/resilience';
import type { Notification } from '../entities/index.js';
import { SmtpSendError } from './smtp-mailer.js';

/**
 * The delivery outbox in the order's trace. A handler records a row inside the span of the event it
 * consumes, and the row keeps that span's W3C traceparent; the sender, which claims rows later in a
 * loop of its own (no span, no trace), makes each row's spans children of the stored context. So a
 * reader of the order's trace sees its e-mail: the SMTP send, or why none went out (quiet hours, no
 * address, content that does not render).
 *
 * The spans carry the notification's id and kind, the Message-ID and the SMTP server, never the
 * recipient's address or the content: a trace is read by more people than the mailbox.
 * With no OpenTelemetry SDK started, every function here is a no-op around the work it wraps.
 */

/** The tracer of the delivery spans (looked up per use, so whichever provider is registered is used). */
const tracer = () => trace.getTracer('@faultline/notifications');

/** The row's stored context, the parent of its spans; without one (untraced, recorded before tracing) they are roots. */
function storedContext(row: Notification): Context {
  return (row.traceparent && traceContextOf({ traceparent: row.traceparent })) || ROOT_CONTEXT;
}

function rowAttributes(row: Notification): Attributes {
  return { 'notification.id': row.id, 'notification.kind': row.kind, 'notification.attempt': row.attemptCount + 1 };
}

/** What a send needs besides the row: the Message-ID, the server, and the address to keep out of the span. */
export interface TracedEmail {
  messageId: string;
  recipient: string;
  server: { host: string; port: number };
}

/**
 * Runs one SMTP attempt of `row` (`send`, with the pipeline's retries inside it) as the CLIENT span
 * `smtp send`, active while `send` runs so whatever is instrumented under it joins. Resolves or
 * throws as `send` does; a failure is recorded on the span with status ERROR.
 */
export async function tracedSend(row: Notification, email: TracedEmail, send: () => Promise<string>): Promise<string> {
  const parent = storedContext(row);
  const span = tracer().startSpan(
    'smtp send',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        ...rowAttributes(row),
        'email.message_id': email.messageId,
        'server.address': email.server.host,
        'server.port': email.server.port,
        'network.protocol.name': 'smtp',
      },
    },
    parent,
  );
  try {
    const response = await context.with(trace.setSpan(parent, span), send);
    span.setAttributes({ 'notification.outcome': 'sent', ...responseCode(response) });
    return response;
  } catch (error) {
    // Failed fast by the open breaker: no conversation reached the server.
    const outcome = error instanceof SmtpSendError && error.conversations === 0 ? 'breaker-open' : 'failed';
    span.setAttributes({ 'notification.outcome': outcome, ...responseCode(error) });
    failSpan(span, error, email.recipient);
    throw error;
  } finally {
    span.end();
  }
}

/** Why a row was not sent this time: a short INTERNAL span in the row's trace, with what the sender decided. */
export type NotSent =
  | { outcome: 'held'; until: Date }
  | { outcome: 'no-address' }
  | { outcome: 'unrenderable'; error: unknown };

export function traceNotSent(row: Notification, decision: NotSent): void {
  const attributes: Attributes = { ...rowAttributes(row), 'notification.outcome': decision.outcome };
  if (decision.outcome === 'held') attributes['notification.held_until'] = decision.until.toISOString();
  const span = tracer().startSpan(`notification ${decision.outcome}`, { kind: SpanKind.INTERNAL, attributes }, storedContext(row));
  if (decision.outcome === 'unrenderable') failSpan(span, decision.error);
  span.end();
}

/** Records `error` on the span with status ERROR, the recipient's address (a 5xx reply may quote it) replaced. */
function failSpan(span: Span, error: unknown, recipient?: string): void {
  const redact = (text: string) => (recipient ? text.replaceAll(recipient, '[recipient]') : text);
  const message = redact(error instanceof Error ? error.message : String(error));
  const stack = error instanceof Error && error.stack ? redact(error.stack) : undefined;
  span.recordException({ name: error instanceof Error ? error.name : 'Error', message, stack });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The SMTP reply code of a final reply (`250 …`) or of a refusal among an error's causes; none for a cut connection. */
function responseCode(outcome: unknown): Attributes {
  if (typeof outcome === 'string') {
    const code = /^(\d{3})\b/.exec(outcome)?.[1];
    return code ? { 'smtp.response_code': Number(code) } : {};
  }
  for (let error = outcome; error instanceof Error; error = error.cause) {
    if (error instanceof DependencyClientError) return { 'smtp.response_code': error.status };
    const code = (error as { responseCode?: unknown }).responseCode;
    if (typeof code === 'number') return { 'smtp.response_code': code };
  }
  return {};
}
