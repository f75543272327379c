import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { WorkflowSpanProcessor } from './workflow-span-processor.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanContext = { traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 };

/** A span as the workflow sink hands it over: SDK 1.x fields, rebuilt from what crossed the sandbox, and the worker's resource. */
const sdk1Span = (fields: object) =>
  ({
    name: 'RunWorkflow:orderFulfilment',
    kind: 0,
    spanContext: () => spanContext,
    startTime: [1, 0],
    endTime: [2, 0],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    duration: [1, 0],
    ended: true,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    resource: resourceFromAttributes({ 'service.name': 'orders' }),
    ...fields,
  }) as unknown as ReadableSpan;

describe('workflow span processor', () => {
  const exported = async (span: ReadableSpan): Promise<ReadableSpan> => {
    const exporter = new InMemorySpanExporter();
    const processor = new WorkflowSpanProcessor(new SimpleSpanProcessor(exporter));
    processor.onEnd(span);
    await processor.forceFlush();
    const [only] = exporter.getFinishedSpans();
    assert.ok(only, 'the span reached the exporter');
    return only;
  };

  it("gives a workflow span its parent's context in the span's own trace, and its tracer as the instrumentation scope", async () => {
    const instrumentationLibrary = { name: '@temporalio/interceptor-workflow', version: '1.30.1' };
    const span = await exported(sdk1Span({ parentSpanId: 'b7ad6b7169203331', instrumentationLibrary }));
    assert.deepEqual(span.parentSpanContext, { traceId, spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: false });
    assert.deepEqual(span.instrumentationScope, { name: '@temporalio/interceptor-workflow', version: '1.30.1' });
    assert.equal(span.spanContext().spanId, spanContext.spanId);
    assert.equal(span.name, 'RunWorkflow:orderFulfilment');
  });

  it('leaves a root span without a parent, and names the workflow tracer when the span names none', async () => {
    const span = await exported(sdk1Span({}));
    assert.equal(span.parentSpanContext, undefined);
    assert.equal(span.instrumentationScope.name, '@temporalio/interceptor-workflow');
  });
});
