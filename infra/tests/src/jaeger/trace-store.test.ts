import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { eventually, requireReachable } from '@faultline/shared/testing';
import { infra } from '../environment.js';

/** A span as Jaeger's HTTP query API (/api/traces/<id>) returns it. */
interface JaegerSpan {
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  processID: string;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const queryApi = `http://127.0.0.1:${infra.JAEGER_QUERY_HTTP_PORT}/api`;

async function traceById(traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${queryApi}/traces/${traceId}`);
  if (response.status === 404) return undefined;
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { data: JaegerTrace[] }).data[0];
}

describe('Jaeger, the trace store', () => {
  before(async () => {
    await requireReachable('Jaeger (OTLP/HTTP)', infra.JAEGER_OTLP_HTTP_PORT);
    await requireReachable('Jaeger (query API)', infra.JAEGER_QUERY_HTTP_PORT);
  });

  it('stores what an OpenTelemetry SDK exports over OTLP/HTTP, and its query API returns the trace with its parent links', async () => {
    // The exporter the services use, pointed at the port infra/faultline.env gives Jaeger's receiver.
    const serviceName = `infra-tests-${randomUUID().slice(0, 8)}`;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${infra.JAEGER_OTLP_HTTP_PORT}/v1/traces` }))],
    });
    const tracer = provider.getTracer('infra-tests');
    const parent = tracer.startSpan('place order', { kind: SpanKind.SERVER });
    const child = tracer.startSpan('orders publish', { kind: SpanKind.PRODUCER }, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();
    await provider.shutdown();

    const { traceId, spanId: parentId } = parent.spanContext();
    const stored = await eventually(() => traceById(traceId), { timeoutMs: 10_000, what: `trace ${traceId} in Jaeger` });
    const byName = new Map(stored.spans.map((span) => [span.operationName, span]));
    assert.deepEqual([...byName.keys()].toSorted(), ['orders publish', 'place order']);
    assert.deepEqual(byName.get('orders publish')?.references, [{ refType: 'CHILD_OF', traceID: traceId, spanID: parentId }]);
    assert.deepEqual(new Set(stored.spans.map((span) => stored.processes[span.processID]?.serviceName)), new Set([serviceName]));

    const services = (await (await fetch(`${queryApi}/services`)).json()) as { data: string[] };
    assert.ok(services.data.includes(serviceName), `${serviceName} missing from /api/services: ${services.data.join(', ')}`);
  });
});
