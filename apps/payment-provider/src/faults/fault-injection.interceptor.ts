import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NEVER, catchError, map, mergeMap, of, type Observable } from 'rxjs';
import { IDEMPOTENCY_KEY_HEADER } from '@faultline/shared/idempotency';
import { ProblemDetailsException } from '@faultline/shared/problem-details';
import type { ProviderOperation } from '../authorizations/authorization.js';
import { ProviderStats } from '../stats/provider-stats.js';
import { FaultSwitch } from './fault-switch.js';
import { HeldRequests } from './held-requests.js';
import { attachRequestFaults } from './request-faults.js';
import { scrambleTypes } from './scramble-types.js';

/** The metadata key under which `@SimulatedOperation` names a handler's operation. */
export const SIMULATED_OPERATION = Symbol('faultline.SimulatedOperation');

/**
 * Counts each /v1 request, then applies the faults in force, in the order a real failure would:
 * a slow provider (latency) delays, a stuck one (hang) never answers, a failing one (errorRate)
 * answers 503 before any effect; the handler then runs (and declines, if told to) and commits; last,
 * the answer is lost (dropResponseAfterCommit) or mangled (corruptBody) on its way back.
 */
@Injectable()
export class FaultInjectionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly faults: FaultSwitch,
    private readonly held: HeldRequests,
    private readonly stats: ProviderStats,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();
    const operation = this.reflector.get<ProviderOperation | undefined>(SIMULATED_OPERATION, context.getHandler());
    if (operation === undefined) return next.handle();

    this.stats.received(operation, request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
    const faults = this.faults.takeForRequest();
    attachRequestFaults(request, faults);

    if (faults.latencyMs > 0) {
      this.stats.faultApplied('latency');
      if ((await this.held.delay(response, faults.latencyMs)) === 'shutting-down') return NEVER;
    }
    if (faults.hang) {
      this.stats.faultApplied('hang');
      this.held.hang(response);
      return NEVER;
    }
    if (faults.failWith5xx) {
      this.stats.faultApplied('error');
      throw injectedFailure();
    }
    if (faults.dropResponseAfterCommit) {
      return next.handle().pipe(
        // Whatever the answer was — success or refusal — it never reaches the client.
        catchError(() => of(undefined)),
        mergeMap(() => {
          this.stats.faultApplied('drop-response');
          response.socket?.destroy();
          return NEVER;
        }),
      );
    }
    if (faults.corruptBody) {
      return next.handle().pipe(
        map((body) => {
          this.stats.faultApplied('corrupt-body');
          response.statusCode = 200;
          return scrambleTypes(body);
        }),
      );
    }
    return next.handle();
  }
}

function injectedFailure(): ProblemDetailsException {
  return new ProblemDetailsException({
    type: 'urn:faultline:problem:provider-unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The payment provider failed this request before doing anything (injected fault: errorRate). Retrying is safe.',
  });
}
