import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestFaults } from './fault-switch.js';

/** The faults decided for each request in flight, for the handlers whose effect they change (decline). */
const faultsOfRequest = new WeakMap<IncomingMessage, RequestFaults>();

export function attachRequestFaults(request: IncomingMessage, faults: RequestFaults): void {
  faultsOfRequest.set(request, faults);
}

/** Handler parameter decorator: `@FaultsOfThisRequest() faults: RequestFaults | undefined`. */
export const FaultsOfThisRequest = createParamDecorator((_data: unknown, context: ExecutionContext): RequestFaults | undefined =>
  faultsOfRequest.get(context.switchToHttp().getRequest<IncomingMessage>()),
);
