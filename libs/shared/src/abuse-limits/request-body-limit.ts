import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ProblemDetailsException } from '../problem-details/index.js';
import { BODY_TOO_LARGE_PROBLEM, type AbuseLimits } from './abuse-limits.js';

/**
 * Mounts the JSON and form body parsers with the `jsonBodyBytes` limit (NestJS then adds no
 * parsers of its own), and turns body-parser's refusal of a bigger body into a 413 problem that
 * names the limit. Called before listen(), after the logging and metrics middleware, so a refused
 * body is logged and counted like any other answer.
 */
export function limitRequestBodies(app: NestExpressApplication, { jsonBodyBytes }: Pick<AbuseLimits, 'jsonBodyBytes'>): void {
  app.useBodyParser('json', { limit: jsonBodyBytes });
  app.useBodyParser('urlencoded', { limit: jsonBodyBytes, extended: true });
  // Four parameters: Express calls it only with an error, as the error handler it is.
  app.use((error: unknown, _request: IncomingMessage, _response: ServerResponse, next: (error: unknown) => void) => {
    next(isBodyTooLarge(error) ? bodyTooLarge(jsonBodyBytes) : error);
  });
}

function isBodyTooLarge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.too.large';
}

function bodyTooLarge(limitBytes: number): ProblemDetailsException {
  return new ProblemDetailsException({
    type: BODY_TOO_LARGE_PROBLEM,
    title: 'Content Too Large',
    status: 413,
    detail: `The request body is larger than the ${limitBytes} bytes this service accepts.`,
    limitBytes,
  });
}
