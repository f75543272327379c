// The demo order's trace, read back from Jaeger's query API and printed as a tree.
import { randomBytes } from 'node:crypto';

/** A W3C traceparent of the demo's own: the demo is the traced client, so it knows the trace id up front. */
export function newTraceparent() {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

/**
 * Polls `GET /api/traces/<id>` until the trace holds a span named `lastSpan` and has stopped
 * growing for longer than a batch period (each service sends its spans in batches, every 5 s by
 * default), then returns its spans with their service.
 */
export async function awaitTrace(queryUrl, traceId, lastSpan, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  let spans = [];
  let settledSince;
  while (Date.now() < deadline) {
    const before = spans.length;
    const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
    if (response.ok) {
      const [trace] = (await response.json()).data;
      spans = trace.spans.map((span) => ({
        id: span.spanID,
        parent: span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID,
        name: span.operationName,
        service: trace.processes[span.processID].serviceName,
        start: span.startTime,
        micros: span.duration,
      }));
      if (!spans.some((span) => span.name === lastSpan) || spans.length !== before) settledSince = Date.now();
      else if (Date.now() - settledSince > 6_000) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return spans;
}

/**
 * The spans in tree order (children by start time), each with its depth. A span's SQL statements
 * are folded into one row per parent, from the first statement's start to the last one's end, so
 * the hops stay readable.
 */
export function traceRows(spans) {
  const ids = new Set(spans.map((span) => span.id));
  const children = new Map();
  for (const span of spans) {
    const parent = ids.has(span.parent) ? span.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const rows = [];
  const walk = (parent, depth) => {
    const kids = (children.get(parent) ?? []).toSorted((a, b) => a.start - b.start);
    const statements = kids.filter((span) => span.name.startsWith('pg.query'));
    if (statements.length) {
      const start = Math.min(...statements.map((span) => span.start));
      const end = Math.max(...statements.map((span) => span.start + span.micros));
      rows.push({ depth, service: statements[0].service, name: `${statements.length} SQL statement(s)`, start, micros: end - start, folded: true });
    }
    for (const span of kids) {
      if (span.name.startsWith('pg.query')) continue;
      rows.push({ depth, ...span });
      walk(span.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return rows;
}

/** The spans as an indented tree, one line each: `service  name  duration` (SQL folded, see traceRows). */
export function traceTree(spans) {
  return traceRows(spans).map(
    (row) => `${'  '.repeat(row.depth)}${row.service.padEnd(17)}${row.name}${row.folded ? '' : `  ${(row.micros / 1000).toFixed(1)} ms`}`,
  );
}
