import type { ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, map, throwError, type Observable } from 'rxjs';
import { IDEMPOTENT_REPLAYED_HEADER } from '@faultline/shared/idempotency';
import { ReplayedPaymentProblem, type PaymentAnswer } from './idempotent-provider-call.js';
import { RetryablePaymentProblem } from './payment-problems.js';
import type { PaymentView } from './payments.schema.js';

/**
 * Put on the payment commands (`@UseInterceptors(PaymentAnswerHeaders)`): a handler returns its
 * PaymentAnswer, and the response gets the headers that answer needs — `Idempotent-Replayed` on a
 * stored answer (success or failure), `Retry-After` on a retryable 503 — before the payment or the
 * problem is sent.
 */
@Injectable()
export class PaymentAnswerHeaders implements NestInterceptor<PaymentAnswer, PaymentView> {
  intercept(context: ExecutionContext, next: CallHandler<PaymentAnswer>): Observable<PaymentView> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      map(({ payment, replayed }) => {
        if (replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return payment;
      }),
      catchError((error: unknown) => {
        if (error instanceof ReplayedPaymentProblem) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        if (error instanceof RetryablePaymentProblem) response.setHeader('Retry-After', String(error.retryAfterSeconds));
        return throwError(() => error);
      }),
    );
  }
}
