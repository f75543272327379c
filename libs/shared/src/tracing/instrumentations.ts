import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';

/**
 * Asked every few seconds by orchestrators, Prometheus and the peers' clock-skew monitors: a trace
 * each would bury the order traces.
 */
const PROBE_PATHS = new Set(['/health', '/ready', '/metrics', '/time']);

/** The path Nest gives a middleware applied to every route (nestjs-pino's logger) in Express 5. */
const CATCH_ALL_ROUTE = '{/*splat}';

/** Sets `http.route` and the span's name from the route Express matched; client requests have none. */
function nameAfterRoute(span: Span, request: ClientRequest | IncomingMessage): void {
  const route = (request as { route?: { path?: unknown } }).route?.path;
  if (typeof route !== 'string' || route === CATCH_ALL_ROUTE) return;
  span.setAttribute(ATTR_HTTP_ROUTE, route);
  span.updateName(`${request.method ?? 'GET'} ${route}`);
}

/** Whether a request path (with or without its query) is one of the probes. */
export function isProbePath(path: string | undefined): boolean {
  return PROBE_PATHS.has((path ?? '').split('?')[0] ?? '');
}

/**
 * What the SDK patches. Kafka is traced by Faultline's own relay and consumers (the publish span
 * starts from the outbox row, not from the relay's loop), so instrumentation-kafkajs is left out.
 * NestJS 12 has no instrumentation (instrumentation-nestjs-core stops at 11), and
 * instrumentation-express is left out too: it wraps every one of Nest's Express layers, which cost
 * the command path about 10 % of its throughput (npm run bench, tracing-overhead), for a
 * request-handler span that only repeats the server span. The route names the server span instead.
 */
export function faultlineInstrumentations(): Instrumentation[] {
  return [
    // Incoming and outgoing node:http. The OTLP exporter's own requests are never traced. A server
    // span is named after the route Express matched (`POST /orders/:orderId/cancel`), read from the
    // request when the response is done.
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbePath(request.url), applyCustomAttributesOnSpan: nameAfterRoute }),
    // Global fetch (billing → payment provider, the clock-skew probe) through undici's diagnostics channel.
    new UndiciInstrumentation({ ignoreRequestHook: (request) => isProbePath(request.path) }),
    // Only inside a traced request or message: the relay's and pollers' queries run under the root
    // context and would otherwise start a trace each. No parameters on spans (they carry personal data),
    // and no span for taking a connection from the pool: one per query is what a reader looks for.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false, ignoreConnectSpans: true }),
    // trace_id, span_id and trace_flags on each log line written inside a span; the lines stay on
    // stdout and are not sent to the OpenTelemetry logs pipeline.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}
