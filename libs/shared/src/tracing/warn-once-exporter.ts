import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Passes spans to `exporter` and says once, on stderr, when a batch could not be delivered. The
 * SDK's own diagnostics stay off (OTEL_LOG_LEVEL turns them on): a collector that is down must not
 * print a stack trace per batch into the service's log, but someone looking for the missing traces
 * gets one line that names the address.
 */
export class WarnOnceExporter implements SpanExporter {
  private warned = false;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly warning: (error: Error | undefined) => string,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS && !this.warned) {
        this.warned = true;
        console.warn(this.warning(result.error));
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
