import { randomUUID } from 'node:crypto';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { bearerFetch, requireReachable, startTestIssuer, type TestIssuer } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { loadOrdersSettings, type OrdersSettings } from '../config.js';

export const env = readFaultlineEnvironment();
export const customerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';

/**
 * The real AppModule on an ephemeral port, connected straight to the PostgreSQL primary and Kafka:
 * not through Toxiproxy, whose `orders-postgres` proxy app.integration.test.ts cuts for a moment
 * while these tests may run in parallel. `adjust` changes what the environment cannot express (a
 * consumer's topic of its own).
 */
export async function startOrdersDirectly(
  overrides: Record<string, string> = {},
  adjust: (settings: OrdersSettings) => void = () => undefined,
): Promise<RunningService> {
  const tokens = await tokenEnvironment();
  const pgPort = Number(env.PG_PRIMARY_PORT);
  const kafkaPort = Number(env.KAFKA_PORT);
  await requireReachable('PostgreSQL primary', pgPort);
  await requireReachable('Kafka', kafkaPort);
  // The fulfilment saga is off unless a test asks for it: these tests are about orders alone, and a
  // saga moving their orders on (confirmed, rejected) would change what they observe.
  const settings = loadOrdersSettings({ ...env, LOG_LEVEL: 'error', ORDERS_FULFILMENT: 'off', ...tokens, ...overrides });
  settings.http.port = 0;
  settings.database.port = pgPort;
  settings.kafka.brokers = [`127.0.0.1:${kafkaPort}`];
  adjust(settings);
  return startService(settings, AppModule.forRoot(settings));
}

let issuer: Promise<TestIssuer> | undefined;

/**
 * The test process's token issuer (article 2): a real one with its JWKS on a free port, standing in
 * for the identity provider, so a test can act as any customer. Orders started with
 * `await tokenEnvironment()` verifies its tokens as it verifies the identity provider's.
 */
function testIssuer(): Promise<TestIssuer> {
  return (issuer ??= startTestIssuer());
}

/** A user token from the test issuer for `customer`. */
export async function userToken(customer: string): Promise<string> {
  return (await testIssuer()).userToken(customer);
}

/** The environment that makes orders trust the test issuer instead of the identity provider. */
export async function tokenEnvironment(): Promise<TestIssuer['environment']> {
  return (await testIssuer()).environment;
}

const customers = new Map<string, typeof fetch>();

/** `fetch` as `customer`: a user token from the test issuer, sent as `Authorization: Bearer` (article 2). */
export function ordersFetchAs(customer: string): typeof fetch {
  let customerFetch = customers.get(customer);
  if (!customerFetch) {
    customerFetch = bearerFetch(async () => (await testIssuer()).userToken(customer));
    customers.set(customer, customerFetch);
  }
  return customerFetch;
}

/** `fetch` as this file's default customer. */
export const ordersFetch: typeof fetch = ordersFetchAs(customerId);

/**
 * A JSON POST with an Idempotency-Key (a fresh one unless given), sent as `customer`: by default the
 * customer the body names (a customer places orders only in their own name), else the default one.
 */
export function postJson(url: string, body: unknown, idempotencyKey: string | null = randomUUID(), customer?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
  const named = (body as { customerId?: unknown } | null)?.customerId;
  const caller = customer ?? (typeof named === 'string' ? named : customerId);
  return ordersFetchAs(caller)(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

export const anOrder = (sku = 'book') => ({ customerId, currency: 'EUR', items: [{ sku, quantity: 2, unitPriceCents: 1_250 }] });

/** The headers that make a read show at least what `write` wrote: its consistency token, sent back (article 5). */
export function withToken(write: Response): Record<string, string> {
  const token = write.headers.get(CONSISTENCY_TOKEN_HEADER);
  if (token === null) throw new Error(`the write answered ${write.status} without an ${CONSISTENCY_TOKEN_HEADER} header`);
  return { [CONSISTENCY_TOKEN_HEADER]: token };
}
