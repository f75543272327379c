import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';

/**
 * A tracer provider for a test: registered globally (with the async-hooks context manager and the
 * W3C propagator, as the services' SDK registers them), every finished span kept in memory. Code
 * under test traces as it would in a service; `stop` unregisters it all, so the next test starts
 * untraced again.
 */
export class RecordedSpans {
  private readonly exporter = new InMemorySpanExporter();
  private readonly provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.exporter)] });

  private constructor() {
    this.provider.register();
  }

  static start(): RecordedSpans {
    return new RecordedSpans();
  }

  /** The spans finished so far, in the order they ended. */
  get finished(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  /** The finished span named `name`; fails when there is not exactly one. */
  one(name: string): ReadableSpan {
    const spans = this.finished.filter((span) => span.name === name);
    if (spans.length !== 1) throw new Error(`expected one span named "${name}", found ${spans.length}: ${this.finished.map((s) => s.name).join(', ')}`);
    return spans[0] as ReadableSpan;
  }

  /** Forgets the spans finished so far, so a test reads only its own. */
  reset(): void {
    this.exporter.reset();
  }

  async stop(): Promise<void> {
    await this.provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}
