import type { ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import { REPLICA_TOKEN_HEADER, ReplicaReadRouter } from './replica-read-router.js';

/**
 * Put on a write endpoint (`@UseInterceptors(ReplicaTokenInterceptor)`): once the handler has
 * returned — its transaction committed — the response gets `X-Replica-Token`, the primary's WAL
 * position, which the client sends back on its next read (article 7). A replayed idempotent
 * response gets a fresh token too, taken after the replay, which is at or past the original write.
 */
@Injectable()
export class ReplicaTokenInterceptor implements NestInterceptor {
  constructor(private readonly router: ReplicaReadRouter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          this.router.capturePrimaryLsn().then((token) => {
            response.setHeader(REPLICA_TOKEN_HEADER, token);
            return body;
          }),
        ),
      ),
    );
  }
}
