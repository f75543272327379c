import { z } from 'zod';
import { loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
import { logLevel } from '@faultline/shared/observability';
import { outboxPublishing, resolveOutboxOptions, type OutboxPublishing } from '@faultline/shared/outbox';
import { LOOPBACK, type ServiceSettings } from '@faultline/shared/service-defaults';

/** Exactly the environment variables the orders service reads (infra/faultline.env, or the process). */
export const ordersEnvironment = z.object({
  ORDERS_HTTP_PORT: port(),
  // Its database and Kafka are reached through Toxiproxy, so the workshop can inject faults.
  TOXIPROXY_ORDERS_PG_PORT: port(),
  ORDERS_DB_NAME: z.string().min(1),
  ORDERS_DB_USER: z.string().min(1),
  ORDERS_DB_PASSWORD: z.string().min(1),
  TOXIPROXY_KAFKA_PORT: port(),
  LOG_LEVEL: logLevel(),
  // Article 4's pitfall switch: `naive` publishes under random keys through an unordered producer.
  // `ordered` when unset; `naive` is refused unless FAULTLINE_WORKSHOP_MODE=true.
  ORDERS_OUTBOX_PUBLISHING: outboxPublishing(),
});

export interface OrdersSettings extends ServiceSettings {
  outbox: { publishing: OutboxPublishing };
}

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadOrdersSettings(env = readFaultlineEnvironment()): OrdersSettings {
  const config = loadConfig('orders', ordersEnvironment, env);
  const service = { name: 'orders', version: packageVersion(import.meta.url) };
  // Checked here too (OutboxModule checks again when the app is created), so a naive switch outside
  // workshop mode stops the service with the plain configuration message.
  const { publishing } = resolveOutboxOptions({ producer: service, publishing: config.ORDERS_OUTBOX_PUBLISHING }, env);
  return {
    service,
    http: { host: LOOPBACK, port: config.ORDERS_HTTP_PORT },
    logLevel: config.LOG_LEVEL,
    database: {
      host: LOOPBACK,
      port: config.TOXIPROXY_ORDERS_PG_PORT,
      database: config.ORDERS_DB_NAME,
      username: config.ORDERS_DB_USER,
      password: config.ORDERS_DB_PASSWORD,
    },
    kafka: { brokers: [`${LOOPBACK}:${config.TOXIPROXY_KAFKA_PORT}`] },
    outbox: { publishing },
  };
}
