import { z } from 'zod';
import { WORKSHOP_MODE_VARIABLE, loadConfig, packageVersion, port, type ServiceIdentity } from '@faultline/shared/config';
import type { SuperuserConnection } from '@faultline/shared/consistency';
import { BILLING_PAYMENT_EVENTS_TOPIC, ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { logLevel, type LogLevel } from '@faultline/shared/observability';

/** A part of the infrastructure the console probes: by a TCP connection, or by an HTTP GET that must answer 2xx. */
export type WatchedPart = { name: string; probe: 'tcp'; host: string; port: number } | { name: string; probe: 'http'; url: string };

/** A service the console watches: its name as the topology gives it, and where its HTTP API answers. */
export interface WatchedService {
  name: string;
  url: string;
}

export interface ConsoleSettings {
  service: ServiceIdentity;
  http: { host: string; port: number };
  logLevel: LogLevel;
  /** Kafka itself, not its Toxiproxy link: a fault the workshop injects must not blind the console. */
  kafkaBrokers: string[];
  /** The topics the event flow lists: each service's event topic unless CONSOLE_EVENT_TOPICS names others (the bench's). */
  eventTopics: string[];
  services: WatchedService[];
  /** Jaeger's query API, for the page's links to traces. */
  jaegerUrl: string;
  /** Temporal's frontend, where the saga's workflow histories are read. */
  temporal: { address: string; namespace: string };
  /** MailDev's web API: the e-mails notifications sent. */
  maildevUrl: string;
  /** Toxiproxy's API: the links between the services and their dependencies. */
  toxiproxyUrl: string;
  /** The infrastructure the page draws, each probed as its kind allows. */
  infrastructure: WatchedPart[];
  /** Without it the console only reads; with it, the page may change the system (scenarios, faults). */
  workshopMode: boolean;
  /**
   * The replica as its superuser, to pause and resume WAL replay (article 7): in workshop mode only,
   * so a read-only console never holds the superuser's password.
   */
  replicaReplay?: SuperuserConnection;
}

const LOOPBACK = '127.0.0.1';

/** The services of infra/topology.mjs, in the order the page draws them, with their port variables. */
const SERVICE_PORTS = {
  identity: 'IDENTITY_HTTP_PORT',
  orders: 'ORDERS_HTTP_PORT',
  billing: 'BILLING_HTTP_PORT',
  notifications: 'NOTIFICATIONS_HTTP_PORT',
  'payment-provider': 'PAYMENT_PROVIDER_HTTP_PORT',
} as const;

const consoleEnvironment = z.object({
  CONSOLE_HTTP_PORT: port(),
  // A comma-separated list of topics for the event flow instead of the services' (the bench measures the page on topics of its own).
  CONSOLE_EVENT_TOPICS: z
    .string()
    .regex(/^[\w.-]+(,[\w.-]+)*$/, 'a comma-separated list of topic names')
    .transform((list) => list.split(','))
    .optional(),
  KAFKA_PORT: port(),
  IDENTITY_HTTP_PORT: port(),
  ORDERS_HTTP_PORT: port(),
  BILLING_HTTP_PORT: port(),
  NOTIFICATIONS_HTTP_PORT: port(),
  PAYMENT_PROVIDER_HTTP_PORT: port(),
  JAEGER_QUERY_HTTP_PORT: port(),
  TEMPORAL_PORT: port(),
  TEMPORAL_NAMESPACE: z.string().min(1),
  MAILDEV_WEB_PORT: port(),
  PG_PRIMARY_PORT: port(),
  PG_REPLICA_PORT: port(),
  PG_SUPERUSER: z.string().min(1),
  PG_SUPERUSER_PASSWORD: z.string().min(1),
  TOXIPROXY_PORT: port(),
  [WORKSHOP_MODE_VARIABLE]: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: logLevel(),
});

/** The console's settings from infra/faultline.env and the process environment; throws naming every bad variable. */
export function loadConsoleSettings(env?: Record<string, string | undefined>): ConsoleSettings {
  const config = loadConfig('console', consoleEnvironment, env);
  return {
    service: { name: 'console', version: packageVersion(import.meta.url) },
    http: { host: LOOPBACK, port: config.CONSOLE_HTTP_PORT },
    logLevel: config.LOG_LEVEL,
    kafkaBrokers: [`${LOOPBACK}:${config.KAFKA_PORT}`],
    eventTopics: config.CONSOLE_EVENT_TOPICS ?? [ORDER_EVENTS_TOPIC, BILLING_PAYMENT_EVENTS_TOPIC],
    services: Object.entries(SERVICE_PORTS).map(([name, variable]) => ({ name, url: `http://${LOOPBACK}:${config[variable]}` })),
    jaegerUrl: `http://${LOOPBACK}:${config.JAEGER_QUERY_HTTP_PORT}`,
    temporal: { address: `${LOOPBACK}:${config.TEMPORAL_PORT}`, namespace: config.TEMPORAL_NAMESPACE },
    maildevUrl: `http://${LOOPBACK}:${config.MAILDEV_WEB_PORT}`,
    toxiproxyUrl: `http://${LOOPBACK}:${config.TOXIPROXY_PORT}`,
    infrastructure: [
      { name: 'postgres-primary', probe: 'tcp', host: LOOPBACK, port: config.PG_PRIMARY_PORT },
      { name: 'postgres-replica', probe: 'tcp', host: LOOPBACK, port: config.PG_REPLICA_PORT },
      { name: 'kafka', probe: 'tcp', host: LOOPBACK, port: config.KAFKA_PORT },
      { name: 'temporal', probe: 'tcp', host: LOOPBACK, port: config.TEMPORAL_PORT },
      { name: 'maildev', probe: 'tcp', host: LOOPBACK, port: config.MAILDEV_WEB_PORT },
      { name: 'jaeger', probe: 'http', url: `http://${LOOPBACK}:${config.JAEGER_QUERY_HTTP_PORT}/api/services` },
      { name: 'toxiproxy', probe: 'http', url: `http://${LOOPBACK}:${config.TOXIPROXY_PORT}/version` },
    ],
    workshopMode: config[WORKSHOP_MODE_VARIABLE] === 'true',
    ...(config[WORKSHOP_MODE_VARIABLE] === 'true' && {
      replicaReplay: { host: LOOPBACK, port: config.PG_REPLICA_PORT, user: config.PG_SUPERUSER, password: config.PG_SUPERUSER_PASSWORD },
    }),
  };
}
