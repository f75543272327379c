import { z } from 'zod';
import { loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { EventConsumerOptions } from '@faultline/shared/messaging';
import { logLevel } from '@faultline/shared/observability';
import { LOOPBACK, type ServiceSettings } from '@faultline/shared/service-defaults';

/** Exactly the environment variables the notifications service reads (infra/faultline.env, or the process). */
export const notificationsEnvironment = z.object({
  NOTIFICATIONS_HTTP_PORT: port(),
  // Its database and Kafka are reached through Toxiproxy, so the workshop can inject faults.
  TOXIPROXY_NOTIFICATIONS_PG_PORT: port(),
  NOTIFICATIONS_DB_NAME: z.string().min(1),
  NOTIFICATIONS_DB_USER: z.string().min(1),
  NOTIFICATIONS_DB_PASSWORD: z.string().min(1),
  TOXIPROXY_KAFKA_PORT: port(),
  LOG_LEVEL: logLevel(),
});

export interface NotificationsSettings extends ServiceSettings {
  /** The consumer of the orders service's events that records due notifications (tests give it a topic of its own). */
  orderEvents: EventConsumerOptions;
}

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadNotificationsSettings(env = readFaultlineEnvironment()): NotificationsSettings {
  const config = loadConfig('notifications', notificationsEnvironment, env);
  return {
    service: { name: 'notifications', version: packageVersion(import.meta.url) },
    http: { host: LOOPBACK, port: config.NOTIFICATIONS_HTTP_PORT },
    logLevel: config.LOG_LEVEL,
    database: {
      host: LOOPBACK,
      port: config.TOXIPROXY_NOTIFICATIONS_PG_PORT,
      database: config.NOTIFICATIONS_DB_NAME,
      username: config.NOTIFICATIONS_DB_USER,
      password: config.NOTIFICATIONS_DB_PASSWORD,
    },
    kafka: { brokers: [`${LOOPBACK}:${config.TOXIPROXY_KAFKA_PORT}`] },
    orderEvents: { name: 'notifications-orders', topics: [ORDER_EVENTS_TOPIC] },
  };
}
