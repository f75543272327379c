import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of, throwError } from 'rxjs';
import { ProblemType } from '@faultline/shared/problem-details';
import { ReplayedPaymentProblem, type PaymentAnswer } from './idempotent-provider-call.js';
import { PaymentAnswerHeaders } from './payment-answer-headers.js';
import { RetryablePaymentProblem } from './payment-problems.js';
import type { PaymentView } from './payments.schema.js';

const payment = { paymentId: 'a-payment' } as PaymentView;

/** Runs the interceptor around a handler that answers (or fails) as given; returns the body and the headers set. */
async function intercept(answer: () => PaymentAnswer | Error): Promise<{ body: unknown; headers: Record<string, string> }> {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as ServerResponse;
  const context = { switchToHttp: () => ({ getResponse: () => response }) } as ExecutionContext;
  const outcome = answer();
  const next: CallHandler<PaymentAnswer> = { handle: () => (outcome instanceof Error ? throwError(() => outcome) : of(outcome)) };
  const body = await firstValueFrom(new PaymentAnswerHeaders().intercept(context, next)).catch((error: unknown) => error);
  return { body, headers };
}

describe('PaymentAnswerHeaders', () => {
  it('sends the payment of a fresh answer with no extra headers', async () => {
    assert.deepEqual(await intercept(() => ({ payment, replayed: false })), { body: payment, headers: {} });
  });

  it('marks a stored answer Idempotent-Replayed, success or failure', async () => {
    assert.deepEqual(await intercept(() => ({ payment, replayed: true })), { body: payment, headers: { 'Idempotent-Replayed': 'true' } });
    const refusal = new ReplayedPaymentProblem({ type: ProblemType.plain, title: 'Payment Required', status: 402, detail: 'declined' });
    assert.deepEqual(await intercept(() => refusal), { body: refusal, headers: { 'Idempotent-Replayed': 'true' } });
  });

  it('tells a retryable 503 when to come back with Retry-After', async () => {
    const unavailable = new RetryablePaymentProblem('about:blank', 'Service Unavailable', 'provider down', 7);
    assert.deepEqual(await intercept(() => unavailable), { body: unavailable, headers: { 'Retry-After': '7' } });
  });
});
