import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * Handler parameter decorator: `@IdempotencyKey() key: string | undefined`, the raw header.
 * `IdempotentRequests` refuses a missing key; it does not throw here, so that a request with an
 * invalid body still gets the validation problem listing its fields.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const header = context.switchToHttp().getRequest<IncomingMessage>().headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  return typeof header === 'string' ? header : undefined;
});
