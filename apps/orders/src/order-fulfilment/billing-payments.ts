import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { FulfilmentRefusal, PAYMENT_REQUEST_IN_FLIGHT, type Payment, type PaymentRequestOutcome } from './order-fulfilment-activity-interface.js';

const payment = z.object({
  paymentId: z.uuid(),
  status: z.enum(['authorized', 'captured', 'voided', 'refunded']),
  amountMinor: z.int(),
  currency: z.string(),
});
const problem = z.looseObject({ type: z.string().optional(), status: z.int().optional(), title: z.string().optional(), detail: z.string().optional() });

/** Billing's 502 when the provider refused in a way resending cannot change: final, unlike a gateway's 502. */
const PROVIDER_REFUSED = 'urn:faultline:problem:payment-provider-refused';
const paymentRequest = z.object({
  idempotencyKey: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'in-flight']),
  payment: payment.optional(),
  problem: problem.optional(),
});

/** One call's context: its cancellation, and the business flow it belongs to (sent as `x-correlation-id`). */
export interface BillingCall {
  signal?: AbortSignal;
  correlationId?: string;
}

/**
 * Billing's payments API (contract D) as the saga's activities use it. Every call carries the step's
 * Idempotency-Key; every answer is validated, and a 200 that does not match is a failure to retry,
 * never a success (article 6). A definite "no" becomes a non-retryable ApplicationFailure (see
 * FulfilmentRefusal); anything else — 5xx, a dropped connection, a corrupt body — is retryable.
 */
export class BillingPayments {
  constructor(
    private readonly baseUrl: string,
    /** A service token for billing (`aud` billing, `sub` orders), sent as `Authorization: Bearer` (article 2). */
    private readonly serviceToken: () => Promise<string> = () => Promise.resolve(''),
  ) {}

  authorize(
    idempotencyKey: string,
    body: { orderId: string; customerId: string; amountMinor: number; currency: string },
    call: BillingCall = {},
  ): Promise<Payment> {
    return this.send('/payments/authorizations', idempotencyKey, body, call);
  }

  change(operation: 'capture' | 'void' | 'refund', paymentId: string, idempotencyKey: string, call: BillingCall = {}): Promise<Payment> {
    return this.send(`/payments/${encodeURIComponent(paymentId)}/${operation}`, idempotencyKey, {}, call);
  }

  /** What billing knows about a key; a retryable failure while billing's own call is still in flight. */
  async findRequest(idempotencyKey: string, { signal, correlationId }: BillingCall = {}): Promise<PaymentRequestOutcome> {
    const response = await fetch(`${this.baseUrl}/payments/requests/${encodeURIComponent(idempotencyKey)}`, {
      headers: { ...(await this.authorization()), ...correlationHeader(correlationId) },
      signal,
    });
    if (response.status === 404) return { outcome: 'not-received' };
    const text = await response.text().catch(() => '');
    const known = paymentRequest.safeParse(response.ok ? parseJson(text) : undefined);
    if (!known.success) throw unexpected(response, text, `GET /payments/requests/${idempotencyKey}`);
    const { outcome } = known.data;
    if (outcome === 'in-flight') {
      throw ApplicationFailure.retryable(`billing is still waiting for the provider's answer to ${idempotencyKey}`, PAYMENT_REQUEST_IN_FLIGHT);
    }
    if (outcome === 'succeeded' && known.data.payment) return { outcome, payment: known.data.payment };
    if (outcome === 'failed' && known.data.problem) {
      const { status = 500, detail, title } = known.data.problem;
      return { outcome, status, detail: detail ?? title ?? 'no detail' };
    }
    throw ApplicationFailure.retryable(`billing reported ${idempotencyKey} ${outcome} without its ${outcome === 'succeeded' ? 'payment' : 'problem'}`, 'BillingResponseInvalid');
  }

  private async send(path: string, idempotencyKey: string, body: object, { signal, correlationId }: BillingCall): Promise<Payment> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        ...correlationHeader(correlationId),
        ...(await this.authorization()),
      },
      body: JSON.stringify(body),
      signal,
    });
    if (response.ok) {
      const parsed = payment.safeParse(await response.json().catch(() => undefined));
      if (parsed.success) return parsed.data;
      throw ApplicationFailure.retryable(`billing answered POST ${path} ${response.status} with a body that is not a Payment`, 'BillingResponseInvalid');
    }
    const text = await response.text().catch(() => '');
    const { type, detail, title } = problem.safeParse(parseJson(text)).data ?? {};
    const refusal = refusalFor(response.status, type);
    if (refusal !== undefined) {
      throw ApplicationFailure.nonRetryable(`billing answered POST ${path} ${response.status}: ${detail ?? title ?? response.statusText}`, refusal);
    }
    throw unexpected(response, text, `POST ${path}`);
  }

  private async authorization(): Promise<Record<string, string>> {
    const token = await this.serviceToken();
    return token === '' ? {} : { authorization: `Bearer ${token}` };
  }
}

/** Billing's events for this call join the caller's flow (RequestOrigin reads the header). */
function correlationHeader(correlationId: string | undefined): Record<string, string> {
  return correlationId === undefined ? {} : { 'x-correlation-id': correlationId };
}

function refusalFor(status: number, type: string | undefined): string | undefined {
  if (status === 402) return FulfilmentRefusal.paymentDeclined;
  if (status === 502 && type === PROVIDER_REFUSED) return FulfilmentRefusal.paymentFailed;
  if (status === 409) return FulfilmentRefusal.paymentStateConflict;
  if (status === 400 || status === 404 || status === 422) return FulfilmentRefusal.paymentRequestInvalid;
  return undefined;
}

/** A retryable failure; billing's `Retry-After` (breaker open, contract D) sets the next attempt's delay. */
function unexpected(response: Response, body: string, call: string): ApplicationFailure {
  const retryAfterSeconds = Number(response.headers.get('retry-after'));
  return ApplicationFailure.create({
    message: `billing answered ${call} ${response.status}: ${body.slice(0, 300)}`,
    type: 'BillingUnavailable',
    ...(Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 && { nextRetryDelay: retryAfterSeconds * 1_000 }),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
