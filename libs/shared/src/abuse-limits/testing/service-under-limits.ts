import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { EVENT_CONSUMERS } from '../../messaging/index.js';
import { ObservabilityModule, createServiceLogger, httpLoggerOptions } from '../../observability/index.js';
import { ProblemDetailsModule } from '../../problem-details/index.js';
import { SERVICE_LOGGER, startService, type RunningService, type ServiceSettings } from '../../service-defaults/index.js';
import type { AbuseLimits } from '../abuse-limits.js';

@Module({})
class ServiceUnderLimitsModule {}

/**
 * A service started by the real `startService` (its HTTP server, body parsers, trusted proxies)
 * with the parts of ServiceDefaultsModule that need no database or Kafka: logging, metrics,
 * problem+json. `parts` adds the test's controllers, guards and modules.
 */
export async function startServiceUnderLimits(limits: AbuseLimits, parts: ModuleMetadata = {}): Promise<RunningService> {
  const service = { name: 'limits-test', version: '0.0.0' };
  const logger = createServiceLogger(service, 'silent');
  const settings: ServiceSettings = {
    service,
    http: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    // Never connected to: the module below has no TypeORM and no Kafka.
    database: { host: '127.0.0.1', port: 1, database: 'none', username: 'none', password: 'none' },
    kafka: { brokers: [] },
    abuseLimits: limits,
  };
  const module: DynamicModule = {
    module: ServiceUnderLimitsModule,
    imports: [
      LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger), useExisting: true }),
      ProblemDetailsModule,
      ObservabilityModule.forRoot(service),
      ...(parts.imports ?? []),
    ],
    controllers: parts.controllers ?? [],
    providers: [{ provide: SERVICE_LOGGER, useValue: logger }, { provide: EVENT_CONSUMERS, useValue: [] }, ...(parts.providers ?? [])],
  };
  return startService(settings, module);
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request over node:http, which (unlike fetch) can send from another loopback address
 * (`from: '127.0.0.2'`), as a second client would, and sends oversized headers as they are.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<RawAnswer> {
  const { method = 'GET', headers = {}, body, from } = options;
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        ...(from !== undefined && { localAddress: from }),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
