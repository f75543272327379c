import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable, ServiceProcess } from '@faultline/shared/testing';
import type { ProviderAuthorization } from '../payment-provider.js';

export interface ProviderStats {
  requestsReceived: number;
  byOperation: Record<string, number>;
}

/** The payment provider simulator (contract A) running as a process of its own, and its admin API. */
export interface PaymentProviderProcess {
  url: string;
  port: number;
  setFaults(faults: object): Promise<void>;
  clearFaults(): Promise<void>;
  /** The provider's own record of charges for an order: what the customer was really charged. */
  authorizationsFor(orderReference: string): Promise<ProviderAuthorization[]>;
  /** Every /v1 request that reached it since start or the last reset. */
  stats(): Promise<ProviderStats>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `apps/payment-provider/dist/main.js` on a free port (never 3104, which a scenario may hold)
 * with its real database, and resolves once its /ready answers 200. Billing's integration tests
 * call the REAL simulator through it; a test file starts one and stops it in `after`.
 */
export async function startPaymentProviderProcess(): Promise<PaymentProviderProcess> {
  const env = readFaultlineEnvironment();
  await requireReachable('PostgreSQL primary (the payment provider database)', Number(env.PG_PRIMARY_PORT));
  await requireReachable('Kafka (the payment provider reports it on /ready)', Number(env.KAFKA_PORT));
  const provider = await ServiceProcess.start({
    app: 'payment-provider',
    port: 'free',
    logName: 'test-payment-provider',
    env: (port) => ({ PAYMENT_PROVIDER_HTTP_PORT: String(port), LOG_LEVEL: 'error' }),
  });
  const { url, port } = provider;

  const call = async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    port,
    setFaults: async (faults) => void (await call('PUT', '/admin/faults', faults)),
    clearFaults: async () => void (await call('DELETE', '/admin/faults')),
    authorizationsFor: async (orderReference) =>
      ((await call('GET', `/v1/authorizations?orderReference=${encodeURIComponent(orderReference)}`)) as { items: ProviderAuthorization[] }).items,
    stats: async () => (await call('GET', '/admin/stats')) as ProviderStats,
    resetStats: async () => void (await call('POST', '/admin/stats/reset')),
    stop: () => provider.stop(),
  };
}
