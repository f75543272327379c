import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { EventConsumerTransport } from '../messaging/index.js';
import { connectEventConsumers } from './connect-event-consumers.js';
import { loadSettingsOrExit } from './load-settings-or-exit.js';
import { BoundedHttpAdapter, limitRequestBodies, trustProxies } from '../abuse-limits/index.js';
import { ServiceMetrics, httpLoggerOptions, httpMetricsMiddleware } from '../observability/index.js';
import { SERVICE_LOGGER, type ServiceSettings } from './service-settings.js';

export interface RunningService {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`: the port actually bound, also when settings asked for port 0. */
  url: string;
  /** The app's event consumers (ServiceDefaultsModule's `consumers`), already started. */
  consumers: readonly EventConsumerTransport[];
}

/**
 * Past this, a shutdown that is still waiting (on a hung request or a Kafka retry loop) is cut
 * short with exit code 1: an orchestrator sends SIGKILL soon after SIGTERM anyway, and a deadline
 * of our own at least says so in the log.
 */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Creates, wires and starts a service's Nest application on `settings.http`. Used by service.ts (via
 * `runService`) and by integration tests, which pass port 0 and close the app themselves.
 */
export async function startService(settings: ServiceSettings, module: DynamicModule): Promise<RunningService> {
  // Its HTTP server refuses a request line plus headers over the limit, with a 431 problem (ADR 0016).
  const app = await NestFactory.create<NestExpressApplication>(module, new BoundedHttpAdapter(settings.abuseLimits), {
    bufferLogs: true,
    // Throw instead of exiting, so the caller decides what a failed start means.
    abortOnError: false,
  });
  let consumers: EventConsumerTransport[] = [];
  try {
    app.useLogger(app.get(Logger));
    app.disable('x-powered-by');
    trustProxies(app, settings.abuseLimits);
    // Mounted before the body parsers, so these two see every request, including those the
    // parsers reject.
    app.use(httpMetricsMiddleware(app.get(ServiceMetrics)));
    app.use(pinoHttp(httpLoggerOptions(app.get<PinoLogger>(SERVICE_LOGGER))));
    limitRequestBodies(app, settings.abuseLimits);
    // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, run the destroy hooks (outbox
    // relay stops), then close the database pool and Kafka; exit 0 once everything has closed.
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    publishOpenApi(app, settings);
    consumers = await connectEventConsumers(app);
    await app.listen(settings.http.port, settings.http.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const url = await app.getUrl();
  app.get(Logger).log(`${settings.service.name} listening on ${url} — OpenAPI docs at ${url}/docs`, 'Bootstrap');
  return { app, url, consumers };
}

/** OpenAPI 3 at `/docs` (UI) and `/docs-json`, built from the controllers and their zod schemas. */
function publishOpenApi(app: NestExpressApplication, { service }: ServiceSettings): void {
  const config = new DocumentBuilder()
    .setTitle(`Faultline ${service.name}`)
    .setVersion(service.version)
    .setDescription(`The ${service.name} service of Faultline. Errors are RFC 9457 application/problem+json.`)
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}

/**
 * The whole of an app's service.ts (which main.ts imports after startTracing): load and validate the
 * configuration, start, and on failure print the cause (not a stack trace) and exit 1.
 */
export async function runService<Settings extends ServiceSettings>(options: {
  loadSettings: () => Settings;
  module: (settings: Settings) => DynamicModule;
}): Promise<void> {
  const settings = loadSettingsOrExit(options.loadSettings);
  let running: RunningService | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Before NestJS has its own handlers there is nothing to close gracefully yet.
      if (!running) process.exit(1);
      running.app.get(Logger).log(`${signal} received: refusing new connections, finishing in-flight requests`, 'Shutdown');
      // Stop accepting at once. NestJS's own handler (registered after this one, so it runs next)
      // then stops the relays, waits for in-flight requests, and closes the database and Kafka.
      running.app.getHttpServer().close();
      setTimeout(() => {
        console.error(`${settings.service.name}: shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
  try {
    running = await startService(settings, options.module(settings));
    const logger = running.app.get(Logger);
    process.once('exit', (code) => logger.log(`${settings.service.name} stopped (exit code ${code})`, 'Shutdown'));
  } catch (error) {
    console.error(`${settings.service.name} failed to start: ${describeStartFailure(error)}`);
    process.exit(1);
  }
}

function describeStartFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || /ECONNREFUSED|not reachable/.test(message)
    ? `${message} — is the local infrastructure up? (\`npm run infra:up\`)`
    : message;
}
