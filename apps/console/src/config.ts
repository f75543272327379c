import { z } from 'zod';
import { WORKSHOP_MODE_VARIABLE, loadConfig, packageVersion, port, type ServiceIdentity } from '@faultline/shared/config';
import { logLevel, type LogLevel } from '@faultline/shared/observability';

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
  services: WatchedService[];
  /** Jaeger's query API, for the page's links to traces. */
  jaegerUrl: string;
  /** Without it the console only reads; with it, the page may change the system (scenarios, faults). */
  workshopMode: boolean;
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
  KAFKA_PORT: port(),
  IDENTITY_HTTP_PORT: port(),
  ORDERS_HTTP_PORT: port(),
  BILLING_HTTP_PORT: port(),
  NOTIFICATIONS_HTTP_PORT: port(),
  PAYMENT_PROVIDER_HTTP_PORT: port(),
  JAEGER_QUERY_HTTP_PORT: port(),
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
    services: Object.entries(SERVICE_PORTS).map(([name, variable]) => ({ name, url: `http://${LOOPBACK}:${config[variable]}` })),
    jaegerUrl: `http://${LOOPBACK}:${config.JAEGER_QUERY_HTTP_PORT}`,
    workshopMode: config[WORKSHOP_MODE_VARIABLE] === 'true',
  };
}
