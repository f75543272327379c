import { z } from 'zod';
import { loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
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
});

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadBillingSettings(env = readFaultlineEnvironment()): ServiceSettings {
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
  };
}
