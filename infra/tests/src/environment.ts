import { dirname, join } from 'node:path';
import { z } from 'zod';
import { findFaultlineEnvFile, loadConfig, port } from '@faultline/shared/config';

/** The slice of infra/faultline.env these tests need, validated like a service's configuration. */
export const infra = loadConfig(
  'infra-tests',
  z.object({
    PG_PRIMARY_PORT: port(),
    PG_REPLICA_PORT: port(),
    ORDERS_DB_NAME: z.string(),
    ORDERS_DB_USER: z.string(),
    ORDERS_DB_PASSWORD: z.string(),
    BILLING_DB_NAME: z.string(),
    BILLING_DB_USER: z.string(),
    BILLING_DB_PASSWORD: z.string(),
    NOTIFICATIONS_DB_NAME: z.string(),
    NOTIFICATIONS_DB_USER: z.string(),
    NOTIFICATIONS_DB_PASSWORD: z.string(),
    KAFKA_PORT: port(),
    TOXIPROXY_KAFKA_PORT: port(),
    TEMPORAL_PORT: port(),
    TEMPORAL_NAMESPACE: z.string(),
    TEMPORAL_TEST_SERVER_PORT: port(),
    JAEGER_OTLP_HTTP_PORT: port(),
    JAEGER_QUERY_HTTP_PORT: port(),
  }),
);

export interface ServiceDatabase {
  service: 'orders' | 'billing' | 'notifications';
  database: string;
  user: string;
  password: string;
}

export const serviceDatabases: readonly ServiceDatabase[] = [
  { service: 'orders', database: infra.ORDERS_DB_NAME, user: infra.ORDERS_DB_USER, password: infra.ORDERS_DB_PASSWORD },
  { service: 'billing', database: infra.BILLING_DB_NAME, user: infra.BILLING_DB_USER, password: infra.BILLING_DB_PASSWORD },
  {
    service: 'notifications',
    database: infra.NOTIFICATIONS_DB_NAME,
    user: infra.NOTIFICATIONS_DB_USER,
    password: infra.NOTIFICATIONS_DB_PASSWORD,
  },
];

/** The checkout's root: the folder that holds infra/faultline.env. */
export function workspaceRoot(): string {
  const envFile = findFaultlineEnvFile();
  if (!envFile) throw new Error('infra/faultline.env not found above ' + import.meta.url);
  return dirname(dirname(envFile));
}

/**
 * The wrapper that `npm run infra:up` builds around the Java time-skipping test server. It `exec`s
 * java, so the SIGKILL that @temporalio/testing sends at teardown reaches the JVM itself.
 */
export function temporalTestServerExecutable(): string {
  return join(workspaceRoot(), '.faultline', 'bin', 'temporal-test-server');
}
