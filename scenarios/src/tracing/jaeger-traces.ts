/** A span of a trace as Jaeger's HTTP query API returns it, flattened for assertions. */
export interface TraceSpan {
  spanId: string;
  /** The CHILD_OF reference's span; undefined for a root. */
  parentId: string | undefined;
  name: string;
  /** The emitting process's service.name. */
  service: string;
  /** server, client, producer, consumer or internal (Jaeger's `span.kind` tag). */
  kind: string;
  tags: Record<string, unknown>;
}

interface JaegerTrace {
  traceID: string;
  spans: {
    spanID: string;
    operationName: string;
    references: { refType: string; spanID: string }[];
    processID: string;
    tags: { key: string; value: unknown }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

/** The trace from Jaeger's query API (`GET /api/traces/<id>`), or undefined while Jaeger has none of it. */
export async function jaegerTrace(queryPort: number, traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`http://127.0.0.1:${queryPort}/api/traces/${traceId}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}: ${await response.text()}`);
  return ((await response.json()) as { data: JaegerTrace[] }).data[0];
}

export function spansOf(trace: JaegerTrace): TraceSpan[] {
  return trace.spans.map((span) => {
    const tags = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
    return {
      spanId: span.spanID,
      parentId: span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID,
      name: span.operationName,
      service: trace.processes[span.processID]?.serviceName ?? 'unknown',
      kind: String(tags['span.kind'] ?? 'internal'),
      tags,
    };
  });
}
