import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';

/** What the scenarios need from infra/faultline.env, validated like a service's configuration. */
export function scenarioEnvironment() {
  return loadConfig(
    'scenarios',
    z.object({
      PG_PRIMARY_PORT: port(),
      PG_SUPERUSER: z.string().min(1),
      PG_SUPERUSER_PASSWORD: z.string().min(1),
      ORDERS_DB_NAME: z.string().min(1),
      ORDERS_DB_USER: z.string().min(1),
      ORDERS_DB_PASSWORD: z.string().min(1),
      BILLING_DB_NAME: z.string().min(1),
      BILLING_DB_USER: z.string().min(1),
      BILLING_DB_PASSWORD: z.string().min(1),
      // The scenario watches Kafka directly, as an observer outside the system (not through Toxiproxy).
      KAFKA_PORT: port(),
      ORDERS_HTTP_PORT: port(),
      BILLING_HTTP_PORT: port(),
    }),
  );
}

export type ScenarioEnvironment = ReturnType<typeof scenarioEnvironment>;

export { workspaceRoot } from '@faultline/shared/testing';
