import type { Context, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * A workflow span as @temporalio/interceptors-opentelemetry 1.x hands it over from the workflow
 * sandbox: an OpenTelemetry SDK 1.x span, which names its parent by `parentSpanId` alone and its
 * tracer by `instrumentationLibrary`, where SDK 2.x reads `parentSpanContext` and `instrumentationScope`.
 */
type Sdk1WorkflowSpan = Omit<ReadableSpan, 'parentSpanContext' | 'instrumentationScope'> &
  Partial<Pick<ReadableSpan, 'parentSpanContext' | 'instrumentationScope'>> & {
    parentSpanId?: string;
    instrumentationLibrary?: ReadableSpan['instrumentationScope'];
  };

/** The tracer name of the workflow interceptors, for a span that arrives without one. */
const WORKFLOW_TRACER = '@temporalio/interceptor-workflow';

/**
 * Passes the workflow sandbox's spans on to an SDK 2.x span processor (a BatchSpanProcessor over
 * the OTLP exporter), in the shape it reads. Without it, the OTLP exporter fails on the missing
 * `instrumentationScope`, and every workflow span loses its parent: the client's StartWorkflow span
 * for RunWorkflow, RunWorkflow for each StartActivity.
 */
export class WorkflowSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(_span: Span, _parentContext: Context): void {
    // Workflow spans arrive ended, through onEnd only.
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(asSdk2Span(span as Sdk1WorkflowSpan));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/** A copy of the span with the SDK 2.x fields filled from their SDK 1.x names. */
export function asSdk2Span(span: Sdk1WorkflowSpan): ReadableSpan {
  const { traceId, traceFlags } = span.spanContext();
  const parentSpanContext: SpanContext | undefined =
    span.parentSpanContext ?? (span.parentSpanId ? { traceId, spanId: span.parentSpanId, traceFlags, isRemote: false } : undefined);
  const instrumentationScope = span.instrumentationScope ?? span.instrumentationLibrary ?? { name: WORKFLOW_TRACER };
  return { ...span, parentSpanContext, instrumentationScope };
}
