import type { ServiceIdentity } from '../config/index.js';
import type { DatabaseSettings } from '../database/index.js';
import type { KafkaSettings } from '../messaging/index.js';
import type { LogLevel } from '../observability/index.js';

/**
 * What every service's config.ts produces from its validated environment: the shared bootstrap
 * needs nothing else. A service adds its own fields by extending this.
 */
export interface ServiceSettings {
  service: ServiceIdentity;
  http: { host: string; port: number };
  logLevel: LogLevel;
  database: DatabaseSettings;
  kafka: KafkaSettings;
}

/** Services listen on loopback only: the local topology never exposes them beyond the machine. */
export const LOOPBACK = '127.0.0.1';

export const SERVICE_SETTINGS = Symbol.for('faultline.ServiceSettings');
export const SERVICE_LOGGER = Symbol.for('faultline.ServiceLogger');
