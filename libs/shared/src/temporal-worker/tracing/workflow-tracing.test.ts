import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTimeSkippingEnvironment } from '../../temporal-testing/index.js';
import { eventually } from '../../testing/index.js';
import { tracingClientInterceptors, workerTracing } from './workflow-tracing.js';

const workflowsPath = fileURLToPath(new URL('../test-fixtures/greeting.workflows.js', import.meta.url));

// One workflow started inside a known span, on Temporal's time-skipping test server, with an SDK 2.x
// tracer provider in this process: the client and activity spans come from it, the workflow spans
// from the sandbox through the `exporter` sink, and all of them must land in the known span's trace.
describe('Temporal tracing', () => {
  let env: TestWorkflowEnvironment;
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  before(async () => {
    provider.register();
    env = await startTimeSkippingEnvironment();
  });

  after(async () => {
    await env?.teardown();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('puts the workflow and its activity in the trace of the span that starts it, each span the child of the one before', async () => {
    const taskQueue = `tracing-test-${randomUUID()}`;
    let activityTrace: string | undefined;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: {
        greet: async (name: string) => {
          activityTrace = trace.getActiveSpan()?.spanContext().traceId;
          return `hello, ${name}`;
        },
      },
      ...workerTracing(new SimpleSpanProcessor(exporter)).options,
    });
    const client = new Client({ connection: env.connection, interceptors: tracingClientInterceptors() });
    const tracer = trace.getTracer('test');
    const { traceId, spanId } = await tracer.startActiveSpan('orders.order.events process', async (span) => {
      await worker.runUntil(client.workflow.execute('greetingWorkflow', { taskQueue, workflowId: `greeting-${randomUUID()}`, args: ['Ada'] }));
      span.end();
      return span.spanContext();
    });

    const names = ['StartWorkflow:greetingWorkflow', 'RunWorkflow:greetingWorkflow', 'StartActivity:greet', 'RunActivity:greet'];
    const spans = await eventually(
      async () => {
        const inTrace = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
        return names.every((name) => inTrace.some((s) => s.name === name)) ? inTrace : undefined;
      },
      { what: `the workflow's spans in trace ${traceId}`, timeoutMs: 10_000 },
    );
    const byName = (name: string): ReadableSpan => {
      const span = spans.find((s) => s.name === name);
      assert.ok(span, name);
      return span;
    };
    const chain = [spanId, ...names.slice(0, -1).map((name) => byName(name).spanContext().spanId)];
    assert.deepEqual(
      names.map((name) => byName(name).parentSpanContext?.spanId),
      chain,
    );
    assert.equal(byName('RunWorkflow:greetingWorkflow').instrumentationScope.name, '@temporalio/interceptor-workflow');
    assert.equal(activityTrace, traceId, "the activity's own calls (fetch, pg) join the trace");
  });
});
