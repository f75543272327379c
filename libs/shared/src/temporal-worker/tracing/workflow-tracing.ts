import { createRequire } from 'node:module';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { WorkflowSpanProcessor } from './workflow-span-processor.js';

/**
 * The module the worker bundles into the workflow sandbox for its interceptors: the one that exports
 * `interceptors()` (`lib/workflow` holds the interceptor classes, but no such export).
 */
const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** makeWorkflowExporter's parameter types: OpenTelemetry SDK 1.x's, which this package was built against. */
type Sdk1SpanProcessor = Parameters<typeof makeWorkflowExporter>[0];
type Sdk1Resource = Parameters<typeof makeWorkflowExporter>[1];

/**
 * The client's StartWorkflow span, child of the active span (the consumer's `<topic> process`), its
 * context sent to the workflow in the `_tracer-data` header. With no SDK started it costs nothing.
 */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

/** What a worker adds to its options for tracing, and how to flush the workflow spans when it stops. */
export interface WorkerTracing {
  options: Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>>;
  shutdown(): Promise<void>;
}

/**
 * Traces a worker's activities (RunActivity, child of the workflow's StartActivity) with the
 * process's global tracer, and its workflows with the interceptors' own tracer inside the sandbox,
 * whose spans leave through the `exporter` sink into `workflowSpans`.
 *
 * The workflow interceptors are registered whether tracing is on or off, so the workflow code, and
 * the histories it makes, are the same in both modes and replay in either. Off (no SDK started, as
 * with `OTEL_SDK_DISABLED=true`, and in tests), the sink drops the spans.
 */
export function workerTracing(workflowSpans: SpanProcessor = workflowSpanExport()): WorkerTracing {
  const processor = new WorkflowSpanProcessor(workflowSpans);
  const resource = resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'unknown_service' });
  return {
    options: {
      interceptors: {
        activity: [
          (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
        ],
        workflowModules: [WORKFLOW_TRACING_MODULE],
      },
      // SDK 2.x objects where the types say 1.x: the sink calls only the processor's onEnd (with the
      // 1.x-shaped span WorkflowSpanProcessor adapts) and only hands the resource on to the span.
      sinks: { exporter: makeWorkflowExporter(processor as unknown as Sdk1SpanProcessor, resource as unknown as Sdk1Resource) },
    },
    shutdown: () => processor.shutdown(),
  };
}

/**
 * The workflow spans' own OTLP pipeline (the SDK's processors are not reachable from here): the
 * standard OTEL_EXPORTER_OTLP_ENDPOINT, batched like the process's other spans; nothing when the
 * process has no tracer provider, so an untraced process never sends spans anywhere.
 */
function workflowSpanExport(): SpanProcessor {
  return processTraces() ? new BatchSpanProcessor(new OTLPTraceExporter()) : new NoopSpanProcessor();
}

/** The API's stand-in while no SDK is registered: the global provider delegates to it until one is. */
const NO_PROVIDER = new ProxyTracerProvider().getDelegate();

/** Whether an OpenTelemetry SDK registered a tracer provider in this process (it does unless OTEL_SDK_DISABLED=true). */
function processTraces(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider && provider.getDelegate() === NO_PROVIDER);
}
