import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/**
 * Asked every few seconds by orchestrators, Prometheus and the peers' clock-skew monitors: a trace
 * each would bury the order traces.
 */
const PROBE_PATHS = new Set(['/health', '/ready', '/metrics', '/time']);

/** Whether a request path (with or without its query) is one of the probes. */
export function isProbePath(path: string | undefined): boolean {
  return PROBE_PATHS.has((path ?? '').split('?')[0] ?? '');
}

/**
 * What the SDK patches. Kafka is traced by Faultline's own relay and consumers (the publish span
 * starts from the outbox row, not from the relay's loop), so instrumentation-kafkajs is left out;
 * NestJS 12 has no instrumentation (instrumentation-nestjs-core stops at 11), so a request's route
 * shows through http.route on the http span and express's request-handler span.
 */
export function faultlineInstrumentations(): Instrumentation[] {
  return [
    // Incoming and outgoing node:http. The OTLP exporter's own requests are never traced.
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbePath(request.url) }),
    // Global fetch (billing → payment provider, the clock-skew probe) through undici's diagnostics channel.
    new UndiciInstrumentation({ ignoreRequestHook: (request) => isProbePath(request.path) }),
    // Only the route handlers: Nest's body parsers and pino-http would each add a span per request.
    // nestjs-pino's logger, which Nest mounts as a catch-all route, still shows as a short "request
    // handler" span: in Express 5 the instrumentation names both alike, so it cannot be told apart.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    // Only inside a traced request or message: the relay's and pollers' queries run under the root
    // context and would otherwise start a trace each. No parameters on spans (they carry personal data),
    // and no span for taking a connection from the pool: one per query is what a reader looks for.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false, ignoreConnectSpans: true }),
    // trace_id, span_id and trace_flags on each log line written inside a span; the lines stay on
    // stdout and are not sent to the OpenTelemetry logs pipeline.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}
