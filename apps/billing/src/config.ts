import { z } from 'zod';
import { loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { consumerOrdering, requireAllowedConsumerOrdering, type EventConsumerOptions } from '@faultline/shared/messaging';
import { logLevel } from '@faultline/shared/observability';
import { LOOPBACK, type ServiceSettings } from '@faultline/shared/service-defaults';

/** Exactly the environment variables the billing service reads (infra/faultline.env, or the process). */
export const billingEnvironment = z.object({
  BILLING_HTTP_PORT: port(),
  // Its database and Kafka are reached through Toxiproxy, so the workshop can inject faults.
  TOXIPROXY_BILLING_PG_PORT: port(),
  BILLING_DB_NAME: z.string().min(1),
  BILLING_DB_USER: z.string().min(1),
  BILLING_DB_PASSWORD: z.string().min(1),
  TOXIPROXY_KAFKA_PORT: port(),
  LOG_LEVEL: logLevel(),
  // Article 4's pitfall switch: `naive` applies order events as they arrive, without the ordering
  // guard. `guarded` when unset; `naive` is refused unless FAULTLINE_WORKSHOP_MODE=true.
  BILLING_CONSUMER_ORDERING: consumerOrdering(),
});

export interface BillingSettings extends ServiceSettings {
  /** The consumer of the orders service's events that keeps `billing_orders` (tests give it a topic of its own). */
  orderEvents: EventConsumerOptions;
}

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadBillingSettings(env = readFaultlineEnvironment()): BillingSettings {
  const config = loadConfig('billing', billingEnvironment, env);
  return {
    service: { name: 'billing', version: packageVersion(import.meta.url) },
    http: { host: LOOPBACK, port: config.BILLING_HTTP_PORT },
    logLevel: config.LOG_LEVEL,
    database: {
      host: LOOPBACK,
      port: config.TOXIPROXY_BILLING_PG_PORT,
      database: config.BILLING_DB_NAME,
      username: config.BILLING_DB_USER,
      password: config.BILLING_DB_PASSWORD,
    },
    kafka: { brokers: [`${LOOPBACK}:${config.TOXIPROXY_KAFKA_PORT}`] },
    // Checked here too (the service defaults check again when the app is created), so a naive
    // switch outside workshop mode stops the service with the plain configuration message.
    orderEvents: requireAllowedConsumerOrdering(
      'billing',
      { name: 'billing-orders', topics: [ORDER_EVENTS_TOPIC], ordering: config.BILLING_CONSUMER_ORDERING },
      env,
    ),
  };
}
