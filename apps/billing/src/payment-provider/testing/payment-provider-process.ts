import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import type { ProviderAuthorization } from '../payment-provider.js';

const PROVIDER_MAIN = fileURLToPath(new URL('../../../../payment-provider/dist/main.js', import.meta.url));
/** Migrations of the provider's own database, then /ready: a few seconds on a busy machine. */
const READY_TIMEOUT_MS = 30_000;

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
  if (!existsSync(PROVIDER_MAIN)) throw new Error(`${PROVIDER_MAIN} is missing — build the simulator first: npx tsc -b apps/payment-provider`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [PROVIDER_MAIN], {
    env: { ...process.env, PAYMENT_PROVIDER_HTTP_PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (!(await fetch(`${url}/ready`).then((response) => response.ok, () => false))) {
    if (exitCode !== undefined) throw new Error(`the payment provider exited with code ${exitCode} before it was ready (its errors are above)`);
    if (performance.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the payment provider was not ready on ${url} within ${READY_TIMEOUT_MS} ms — is its database up? (node infra/native/cli.mjs status)`);
    }
    await sleep(200);
  }

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
    stop: async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}
