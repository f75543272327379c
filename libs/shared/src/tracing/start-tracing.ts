import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { readFaultlineEnvironment } from '../config/faultline-env-file.js';
import type { ServiceIdentity } from '../config/service-identity.js';
import { flushOnExit } from './flush-on-exit.js';
import { faultlineInstrumentations } from './instrumentations.js';
import { registerSpanFlush } from './span-flush.js';
import { traceEndpoint, tracingEnvironment } from './tracing-environment.js';
import { WarnOnceExporter } from './warn-once-exporter.js';

let started = false;

/**
 * Starts the OpenTelemetry SDK for a service, before any of the service's own modules load: a
 * main.ts awaits this, then `await import()`s the service (static imports would load express, pg
 * and pino first, unpatched). Spans go over OTLP/HTTP to Jaeger in batches; the standard OTEL_*
 * variables configure the rest (sampling: OTEL_TRACES_SAMPLER, parentbased_always_on by default).
 * OTEL_SDK_DISABLED=true turns it off: nothing is loaded into the module loader, nothing exported.
 */
export async function startTracing(service: ServiceIdentity, env = readFaultlineEnvironment()): Promise<void> {
  const { enabled, variables, warning } = tracingEnvironment(service.name, env);
  if (!enabled || started) return;
  Object.assign(process.env, variables);
  if (warning) console.warn(warning);
  // The service is ESM: its imports are patched only through this loader hook, which wraps just
  // the modules the instrumentations name (sent over the message channel).
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const endpoint = traceEndpoint(process.env);
  const exporter = new WarnOnceExporter(
    new OTLPTraceExporter(),
    (error) =>
      `${service.name}: spans could not be sent to ${endpoint} (${error?.message ?? 'export failed'}) — ` +
      'is Jaeger up? (`npm run infra:up`). Later failures are not reported.',
  );
  const processor = new BatchSpanProcessor(exporter);
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_VERSION]: service.version, [ATTR_SERVICE_INSTANCE_ID]: randomUUID() }),
    ),
    spanProcessors: [processor],
    instrumentations: faultlineInstrumentations(),
  });
  sdk.start();
  started = true;
  // The loader must hold every hook before the service's first import.
  await waitForAllMessagesAcknowledged();
  registerSpanFlush(() => processor.forceFlush());
  flushOnExit(() => sdk.shutdown());
}
