import type { TraceStep } from '../console-api.js';

/** A trace as Jaeger's query API answers `GET /api/traces/<id>` (the fields read here). */
export interface JaegerTraceAnswer {
  data?: {
    spans?: { operationName?: string; startTime?: number; duration?: number; processID?: string; tags?: { key?: string; value?: unknown }[] }[];
    processes?: Record<string, { serviceName?: string }>;
  }[];
}

/** Kinds of span that cross a boundary between parts of the system; a client span counts only when it leaves for the SMTP sink. */
const BOUNDARY_KINDS = new Set(['server', 'producer', 'consumer']);
const isEmail = (operation: string) => operation === 'smtp send';

/**
 * The order's way through the system, from its trace: each request a service received (server
 * spans: `POST /orders`, billing's `POST /payments/authorizations`, the provider's), each event
 * published and each consumer that applied it (producer and consumer spans, per service), and the
 * e-mails sent (`smtp send`), in time order. The database statements and Temporal's internals stay
 * in Jaeger.
 */
export function traceSteps(answer: JaegerTraceAnswer): TraceStep[] {
  const trace = answer.data?.[0];
  if (!trace) return [];
  const steps: TraceStep[] = [];
  for (const span of trace.spans ?? []) {
    const kind = String(span.tags?.find((tag) => tag.key === 'span.kind')?.value ?? '');
    const operation = span.operationName ?? '';
    if (!BOUNDARY_KINDS.has(kind) && !(kind === 'client' && isEmail(operation))) continue;
    steps.push({
      at: new Date(Math.floor((span.startTime ?? 0) / 1_000)).toISOString(),
      service: trace.processes?.[span.processID ?? '']?.serviceName ?? 'unknown',
      operation,
      kind: kind as TraceStep['kind'],
      durationMs: Math.round((span.duration ?? 0) / 100) / 10,
    });
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}
