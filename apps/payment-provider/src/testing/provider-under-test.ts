import { randomUUID } from 'node:crypto';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { requireReachable } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import type { AuthorizeRequest } from '../authorizations/authorization.schema.js';
import { loadPaymentProviderSettings } from '../config.js';
import type { FaultSet } from '../faults/fault-set.js';

/**
 * The real AppModule on an ephemeral port, against the real PostgreSQL primary (the simulator has
 * no Toxiproxy proxy) and Kafka. Each test file starts its own: the faults live in the process.
 */
export async function startPaymentProvider(): Promise<RunningService> {
  const env = readFaultlineEnvironment();
  await requireReachable('PostgreSQL primary (the payment provider database)', Number(env.PG_PRIMARY_PORT));
  await requireReachable('Kafka', Number(env.KAFKA_PORT));
  const settings = loadPaymentProviderSettings({ ...env, LOG_LEVEL: 'error' });
  settings.http.port = 0;
  return startService(settings, AppModule.forRoot(settings));
}

/** A charge with an order reference no other test uses, so counting its authorizations is exact. */
export function newCharge(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return { amountMinor: 4_250, currency: 'EUR', customerReference: `cus_${randomUUID()}`, orderReference: `ord_${randomUUID()}`, ...overrides };
}

/** The calls a client of the provider makes, over real HTTP. */
export class ProviderCalls {
  constructor(private readonly baseUrl: () => string) {}

  authorize(charge: unknown, idempotencyKey?: string, init: RequestInit = {}): Promise<Response> {
    return this.post('/v1/authorizations', charge, idempotencyKey, init);
  }

  transition(id: string, transition: 'capture' | 'void' | 'refund', idempotencyKey?: string): Promise<Response> {
    return this.post(`/v1/authorizations/${id}/${transition}`, {}, idempotencyKey);
  }

  get(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl()}${path}`, init);
  }

  async countAuthorizations(orderReference: string): Promise<number> {
    const response = await this.get(`/v1/authorizations?orderReference=${encodeURIComponent(orderReference)}`);
    return ((await response.json()) as { items: unknown[] }).items.length;
  }

  async setFaults(faults: FaultSet): Promise<void> {
    const response = await fetch(`${this.baseUrl()}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    if (response.status !== 200) throw new Error(`PUT /admin/faults answered ${response.status}: ${await response.text()}`);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.baseUrl()}/admin/faults`, { method: 'DELETE' });
  }

  private post(path: string, body: unknown, idempotencyKey: string | undefined, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    return fetch(`${this.baseUrl()}${path}`, { method: 'POST', headers, body: JSON.stringify(body), ...init });
  }
}
