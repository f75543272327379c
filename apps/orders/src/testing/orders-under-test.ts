import { randomUUID } from 'node:crypto';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { bearerFetch, requireReachable, userTokenFrom } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { loadOrdersSettings } from '../config.js';

export const env = readFaultlineEnvironment();
export const customerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';

/**
 * The real AppModule on an ephemeral port, connected straight to the PostgreSQL primary and Kafka:
 * not through Toxiproxy, whose `orders-postgres` proxy app.integration.test.ts cuts for a moment
 * while these tests may run in parallel.
 */
export async function startOrdersDirectly(overrides: Record<string, string> = {}): Promise<RunningService> {
  const pgPort = Number(env.PG_PRIMARY_PORT);
  const kafkaPort = Number(env.KAFKA_PORT);
  await requireReachable('PostgreSQL primary', pgPort);
  await requireReachable('Kafka', kafkaPort);
  // The fulfilment saga is off unless a test asks for it: these tests are about orders alone, and a
  // saga moving their orders on (confirmed, rejected) would change what they observe.
  const settings = loadOrdersSettings({ ...env, LOG_LEVEL: 'error', ORDERS_FULFILMENT: 'off', ...overrides });
  settings.http.port = 0;
  settings.database.port = pgPort;
  settings.kafka.brokers = [`127.0.0.1:${kafkaPort}`];
  return startService(settings, AppModule.forRoot(settings));
}

const tokens = new Map<string, Promise<string>>();

/**
 * `fetch` as `customer` of the orders instance the URL points at: a user token from that instance's
 * own `POST /auth/tokens` (each instance has its own signing keys), fetched once per instance and
 * customer and sent as `Authorization: Bearer` (article 2).
 */
export function ordersFetchAs(customer: string): typeof fetch {
  return (input, init) => {
    const { origin } = new URL(input instanceof Request ? input.url : String(input));
    const key = `${origin} ${customer}`;
    const token = tokens.get(key) ?? userTokenFrom(origin, customer);
    tokens.set(key, token);
    return bearerFetch(() => token)(input, init);
  };
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
