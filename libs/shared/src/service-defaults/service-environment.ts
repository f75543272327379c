import { z } from 'zod';
import { port } from '../config/index.js';
import { logLevel } from '../observability/index.js';
import { LOOPBACK, type ServiceSettings } from './service-settings.js';

/**
 * How a service reaches PostgreSQL and Kafka: `toxiproxy` through its Toxiproxy proxies, so the
 * workshop can inject faults between them; `direct` to the primary and the broker themselves.
 */
export type ServiceLinks = 'toxiproxy' | 'direct';

type PostgresPortVariable<Prefix extends string, Links extends ServiceLinks> = Links extends 'toxiproxy'
  ? `TOXIPROXY_${Prefix}_PG_PORT`
  : 'PG_PRIMARY_PORT';
type KafkaPortVariable<Links extends ServiceLinks> = Links extends 'toxiproxy' ? 'TOXIPROXY_KAFKA_PORT' : 'KAFKA_PORT';

/** The variables of `serviceEnvironment(prefix, links)`, each with its schema. */
export type ServiceEnvironment<Prefix extends string, Links extends ServiceLinks> = Record<
  `${Prefix}_HTTP_PORT` | PostgresPortVariable<Prefix, Links> | KafkaPortVariable<Links>,
  ReturnType<typeof port>
> &
  Record<`${Prefix}_DB_NAME` | `${Prefix}_DB_USER` | `${Prefix}_DB_PASSWORD`, z.ZodString> & { LOG_LEVEL: ReturnType<typeof logLevel> };

/** The shared bootstrap's part of ServiceSettings: all of it but the service's name and version. */
export type ServiceBasics = Pick<ServiceSettings, 'http' | 'logLevel' | 'database' | 'kafka'>;

function variables(prefix: string, links: ServiceLinks) {
  return {
    httpPort: `${prefix}_HTTP_PORT`,
    postgresPort: links === 'toxiproxy' ? `TOXIPROXY_${prefix}_PG_PORT` : 'PG_PRIMARY_PORT',
    database: `${prefix}_DB_NAME`,
    username: `${prefix}_DB_USER`,
    password: `${prefix}_DB_PASSWORD`,
    kafkaPort: links === 'toxiproxy' ? 'TOXIPROXY_KAFKA_PORT' : 'KAFKA_PORT',
  };
}

/**
 * The variables every service reads for the shared bootstrap, named by the service's prefix: with
 * `serviceEnvironment('BILLING', 'toxiproxy')` they are BILLING_HTTP_PORT, TOXIPROXY_BILLING_PG_PORT,
 * BILLING_DB_NAME, BILLING_DB_USER, BILLING_DB_PASSWORD, TOXIPROXY_KAFKA_PORT and LOG_LEVEL; with
 * `direct` links, PG_PRIMARY_PORT and KAFKA_PORT take the place of the two Toxiproxy ports.
 */
export function serviceEnvironment<Prefix extends string, Links extends ServiceLinks>(
  prefix: Prefix,
  links: Links,
) {
  const name = variables(prefix, links);
  const shape = {
    [name.httpPort]: port(),
    [name.postgresPort]: port(),
    [name.database]: z.string().min(1),
    [name.username]: z.string().min(1),
    [name.password]: z.string().min(1),
    [name.kafkaPort]: port(),
    LOG_LEVEL: logLevel(),
  } as ServiceEnvironment<Prefix, Links>;
  return z.object(shape);
}

/**
 * Maps the validated variables of `serviceEnvironment(prefix, links)` to the settings the shared
 * bootstrap needs: the HTTP listener, the service's own database and Kafka, all on loopback.
 */
export function serviceBasics<Prefix extends string, Links extends ServiceLinks>(
  prefix: Prefix,
  links: Links,
  config: z.infer<z.ZodObject<ServiceEnvironment<Prefix, Links>>>,
): ServiceBasics {
  const name = variables(prefix, links);
  const value = config as Record<string, unknown>;
  return {
    http: { host: LOOPBACK, port: value[name.httpPort] as number },
    logLevel: value.LOG_LEVEL as ServiceSettings['logLevel'],
    database: {
      host: LOOPBACK,
      port: value[name.postgresPort] as number,
      database: value[name.database] as string,
      username: value[name.username] as string,
      password: value[name.password] as string,
    },
    kafka: { brokers: [`${LOOPBACK}:${value[name.kafkaPort] as number}`] },
  };
}
