import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Where a command came from, for the `correlationId` and `causationId` of the events it causes. */
export interface Origin {
  /** This request's id (pino-http's, echoed as `x-request-id`): the cause of what it writes. */
  requestId: string;
  /** The business flow: the caller's `x-correlation-id`, or this request's id when it starts one. */
  correlationId: string;
}

const SANE_ID = /^[\w.:-]{1,128}$/;

/** Handler parameter decorator: `@RequestOrigin() origin: Origin`. */
export const RequestOrigin = createParamDecorator((_data: unknown, context: ExecutionContext): Origin => {
  const request = context.switchToHttp().getRequest<IncomingMessage & { id?: unknown }>();
  const requestId = String(request.id ?? 'unknown');
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && SANE_ID.test(header) ? header : requestId;
  return { requestId, correlationId };
});
