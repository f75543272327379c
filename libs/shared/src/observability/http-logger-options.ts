import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';

/** Probed every few seconds by orchestrators and Prometheus: logging each probe drowns the rest. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * pino-http settings: one line per finished request, at warn for 4xx and error for 5xx; a request
 * id taken from `x-request-id` when the caller sent a sane one (so one id follows a request across
 * services) or made up, and echoed in the response header; the request's correlation id, as the
 * events it writes get it (RequestOrigin): the caller's `x-correlation-id` when it is a sane one,
 * else the request's own id. Other headers are left out of the log on purpose: they will carry
 * bearer tokens.
 */
export function httpLoggerOptions(logger: Logger): Options {
  return {
    logger,
    genReqId(request: IncomingMessage, response: ServerResponse) {
      const incoming = request.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (request) => QUIET_PATHS.has((request.url ?? '').split('?')[0] ?? '') },
    customLogLevel(_request, response, error) {
      if (error || response.statusCode >= 500) return 'error';
      return response.statusCode >= 400 ? 'warn' : 'info';
    },
    serializers: {
      req: (request: { id: unknown; method: string; url: string; headers?: Record<string, unknown> }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
        correlationId: correlationIdOf(request.headers) ?? request.id,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  };
}

/** A request's `x-correlation-id` header, when it has a sane one. */
function correlationIdOf(headers: Record<string, unknown> | undefined): string | undefined {
  const value = headers?.['x-correlation-id'];
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;
}
