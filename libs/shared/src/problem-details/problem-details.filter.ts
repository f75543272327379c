import type { IncomingMessage, ServerResponse } from 'node:http';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROBLEM_JSON } from './problem-details.js';
import { toProblemDetails } from './to-problem-details.js';

/**
 * The one place where an error becomes an HTTP answer: every error — from a handler, a pipe, the
 * router's "no such route", or Express's body-parser — leaves as `application/problem+json`.
 * Unexpected errors are logged with their stack and answered with a generic detail, so a stack
 * trace or a SQL fragment never reaches a client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage & { id?: unknown; originalUrl?: string }>();
    const response = http.getResponse<ServerResponse>();
    const { httpAdapter } = this.adapterHost;

    const { problem, unexpected, headers } = toProblemDetails(exception, request.originalUrl ?? request.url ?? '');
    const requestId = request.id === undefined ? undefined : String(request.id);
    if (requestId) problem.requestId = requestId;

    if (unexpected) {
      this.logger.error({ err: exception, requestId, instance: problem.instance }, 'unexpected error while handling a request');
    } else if (problem.status >= 500) {
      this.logger.warn({ problem }, `answered ${problem.status}: ${problem.detail}`);
    }

    if (httpAdapter.isHeadersSent(response)) {
      // Part of a response already left; the only honest thing left to do is cut it short.
      response.destroy();
      return;
    }
    httpAdapter.setHeader(response, 'Content-Type', PROBLEM_JSON);
    for (const [name, value] of Object.entries(headers ?? {})) httpAdapter.setHeader(response, name, value);
    httpAdapter.reply(response, problem, problem.status);
  }
}
