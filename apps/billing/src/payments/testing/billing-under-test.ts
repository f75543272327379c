import { randomUUID } from 'node:crypto';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { requireReachable, idleTestConsumer } from '@faultline/shared/testing';
import { AppModule } from '../../app.module.js';
import { loadBillingSettings } from '../../config.js';
import { serviceFetch, tokenEnvironment } from '../../testing/test-tokens.js';

export const env = readFaultlineEnvironment();

/**
 * The real billing AppModule on an ephemeral port, calling the payment provider on `providerPort`:
 * straight to the PostgreSQL primary and Kafka (not through Toxiproxy, which other tests cut), with
 * a task queue of its own so its billing-run worker never takes another test's workflows.
 */
export async function startBillingAgainstProvider(providerPort: number, overrides: Record<string, string> = {}): Promise<RunningService> {
  const pgPort = Number(env.PG_PRIMARY_PORT);
  const kafkaPort = Number(env.KAFKA_PORT);
  await requireReachable('PostgreSQL primary', pgPort);
  await requireReachable('Kafka', kafkaPort);
  await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
  const settings = loadBillingSettings({
    ...env,
    LOG_LEVEL: 'error',
    PAYMENT_PROVIDER_HTTP_PORT: String(providerPort),
    BILLING_RUN_TASK_QUEUE: `billing-runs-payments-test-${randomUUID()}`,
    ...(await tokenEnvironment()),
    ...overrides,
  });
  settings.http.port = 0;
  settings.orderEvents = idleTestConsumer(settings.orderEvents);
  settings.database.port = pgPort;
  settings.kafka.brokers = [`127.0.0.1:${kafkaPort}`];
  return startService(settings, AppModule.forRoot(settings));
}

/** A JSON POST with an Idempotency-Key (a fresh one unless given; none when null), as the orders service with its service token. */
export function postJson(url: string, body: unknown, idempotencyKey: string | null = randomUUID()): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
  return serviceFetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** An authorization request for a fresh order, so the provider's count per order starts at zero. */
export const anAuthorization = (amountMinor = 4_990) => ({ orderId: randomUUID(), customerId: randomUUID(), amountMinor, currency: 'EUR' });
