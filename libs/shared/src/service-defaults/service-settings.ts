import type { AbuseLimits } from '../abuse-limits/index.js';
import type { ServiceAuthOptions } from '../auth/index.js';
import type { ServiceClockOptions } from '../clock-skew/index.js';
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
  /**
   * Bearer tokens on every route not marked `@Access.public(...)` (article 2). Absent: no token checks
   * (the payment provider, an outside company's simulator, has none).
   */
  auth?: ServiceAuthOptions;
  /** The skewable clock and the peer clock monitor (article 2). Absent: the machine's clock, no peers. */
  clock?: ServiceClockOptions;
  /** Rate limits per caller, body and header sizes, trusted proxies (ADR 0016): `resolveAbuseLimits`. */
  abuseLimits: AbuseLimits;
}

/** Services listen on loopback only: the local topology never exposes them beyond the machine. */
export const LOOPBACK = '127.0.0.1';

export const SERVICE_SETTINGS = Symbol.for('faultline.ServiceSettings');
export const SERVICE_LOGGER = Symbol.for('faultline.ServiceLogger');
