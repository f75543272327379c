import { z } from 'zod';
import { DependencyClientError, type DependencyPipeline } from '@faultline/shared/resilience';
import {
  PaymentDeclinedError,
  ProviderConflictError,
  type AuthorizeRequest,
  type PaymentProvider,
  type ProviderAuthorization,
  type ProviderRequestRecord,
} from './payment-provider.js';
import type { PaymentProviderClientSettings } from './payment-provider-settings.js';
import { ProviderResponseInvalidError, ProviderServerError } from './provider-call-errors.js';
import { providerAuthorizationSchema, providerRequestRecordSchema } from './provider-responses.js';

export type Operation = 'authorize' | 'capture' | 'void' | 'refund' | 'lookup';

/**
 * The payment provider over HTTP (contract A), every call through the provider's DependencyPipeline
 * (article 1) with the AbortSignal passed to fetch, so a timeout really stops the request. Retries
 * re-run the same closure, so they carry the same Idempotency-Key (article 6).
 */
export class HttpPaymentProvider implements PaymentProvider {
  constructor(
    private readonly settings: PaymentProviderClientSettings,
    private readonly pipeline: DependencyPipeline,
  ) {}

  authorize({ idempotencyKey, ...body }: AuthorizeRequest, correlationId: string): Promise<ProviderAuthorization> {
    return this.changeAuthorization('authorize', '/v1/authorizations', idempotencyKey, body, correlationId);
  }

  capture(authorizationId: string, idempotencyKey: string, correlationId: string): Promise<ProviderAuthorization> {
    return this.changeAuthorization('capture', `/v1/authorizations/${encodeURIComponent(authorizationId)}/capture`, idempotencyKey, {}, correlationId);
  }

  void(authorizationId: string, idempotencyKey: string, correlationId: string): Promise<ProviderAuthorization> {
    return this.changeAuthorization('void', `/v1/authorizations/${encodeURIComponent(authorizationId)}/void`, idempotencyKey, {}, correlationId);
  }

  refund(authorizationId: string, idempotencyKey: string, correlationId: string): Promise<ProviderAuthorization> {
    return this.changeAuthorization('refund', `/v1/authorizations/${encodeURIComponent(authorizationId)}/refund`, idempotencyKey, {}, correlationId);
  }

  findRequest(idempotencyKey: string, correlationId: string): Promise<ProviderRequestRecord | undefined> {
    return this.pipeline.execute(async (signal) => {
      const response = await fetch(`${this.settings.baseUrl}/v1/requests/${encodeURIComponent(idempotencyKey)}`, {
        headers: { accept: 'application/json', 'x-correlation-id': correlationId },
        signal,
      });
      const payload = await readJson(response);
      if (response.status === 404) return undefined;
      if (!response.ok) throw answerError('lookup', response.status, payload);
      const record = parse('lookup', providerRequestRecordSchema, payload);
      if (record.status === 'failed') return { status: 'failed' };
      return { status: 'succeeded', authorization: parse('lookup', providerAuthorizationSchema, record.response) };
    });
  }

  private changeAuthorization(operation: Operation, path: string, idempotencyKey: string, body: object, correlationId: string): Promise<ProviderAuthorization> {
    return this.pipeline.execute(async (signal) => {
      const headers = { ...this.headersFor(idempotencyKey), 'x-correlation-id': correlationId };
      const response = await fetch(`${this.settings.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal });
      const payload = await readJson(response);
      if (!response.ok) throw answerError(operation, response.status, payload);
      return this.authorizationFrom(operation, payload);
    });
  }

  /** The same Idempotency-Key on every attempt: a retry of a lost answer is not a second charge (article 6). */
  protected headersFor(idempotencyKey: string): Record<string, string> {
    return { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': idempotencyKey };
  }

  /** A 2xx body is an authorization only if it has the shape of one: a corrupt answer is an error (article 6). */
  protected authorizationFrom(operation: Operation, payload: unknown): ProviderAuthorization {
    return parse(operation, providerAuthorizationSchema, payload);
  }
}

/** The body as JSON, or undefined when it is not JSON at all (a corrupt body is judged by the schema). */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parse<T>(operation: Operation, schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) throw new ProviderResponseInvalidError(operation, z.prettifyError(result.error).replaceAll('\n', '; '));
  return result.data;
}

/**
 * A 4xx is the provider's considered answer: not counted by the breaker, not retried. Anything
 * else (5xx, 429) is the provider in trouble: counted and retried.
 */
function answerError(operation: Operation, status: number, problem: unknown): Error {
  if (status === 402) return new PaymentDeclinedError(problem);
  if (status === 409) return new ProviderConflictError(problem);
  if (status >= 400 && status < 500 && status !== 429) {
    return new DependencyClientError(status, `the payment provider answered ${status} to ${operation}`, problem);
  }
  return new ProviderServerError(status, operation);
}
