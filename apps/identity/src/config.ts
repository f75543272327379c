import { z } from 'zod';
import { abuseLimitsEnvironment, resolveAbuseLimits } from '@faultline/shared/abuse-limits';
import { USER_TOKEN_AUDIENCE, defineTokenPolicy } from '@faultline/shared/auth';
import { loadConfig, packageVersion, readFaultlineEnvironment } from '@faultline/shared/config';
import { LOOPBACK, serviceBasics, serviceEnvironment, type ServiceSettings } from '@faultline/shared/service-defaults';

/** A secret given as an environment variable: long enough that guessing it is not an attack. */
const secret = () => z.string().min(24, 'use at least 24 characters');

/** Exactly the environment variables the identity provider reads (infra/faultline.env, or the process). */
// Its HTTP port, database and log level. Its own database on the primary, directly: no workshop
// scenario injects faults between the identity provider and PostgreSQL, so it has no Toxiproxy
// proxy. Kafka only for /ready: the shared bootstrap reports Kafka for every service; identity has no topics.
export const identityEnvironment = serviceEnvironment('IDENTITY', 'direct').extend({
  /** The `iss` of every token and the base of every endpoint; default `http://127.0.0.1:<IDENTITY_HTTP_PORT>`. */
  IDENTITY_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** The `orders` service's client secret (client_credentials for its calls to billing and notifications). */
  IDENTITY_ORDERS_CLIENT_SECRET: secret(),
  /** The workshop operator's client secret (client_credentials for a `faultline:operator` token). */
  IDENTITY_OPERATOR_CLIENT_SECRET: secret(),
  /** Signs the provider's cookies (session, interaction), so a browser cannot forge or swap them. */
  IDENTITY_COOKIE_SECRET: secret(),
  /** Seeds alice@example.com and bob@example.com at start-up (see accounts/demo-accounts.ts). */
  IDENTITY_DEMO_ACCOUNTS: z.enum(['true', 'false']).default('true'),
  /** How often the provider looks for a rotated signing key in its database. */
  IDENTITY_KEY_RELOAD_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  // Article 2's pitfall on the issuer's side: `naive` (workshop only) issues 24 h access tokens.
  FAULTLINE_TOKEN_VALIDATION: z.enum(['correct', 'naive']).default('correct'),
  // ADR 0016: rate limits, body and header sizes, trusted proxies, as every service has them.
  ...abuseLimitsEnvironment,
});

export interface IdentitySettings extends ServiceSettings {
  identity: {
    issuer: string;
    clientSecrets: { orders: string; operator: string };
    cookieSecret: string;
    demoAccounts: boolean;
    keyReloadIntervalMs: number;
    /** How long an access token lives: 600 s, or 24 h in the workshop's naive mode (article 2). */
    accessTokenLifetimeSeconds: number;
  };
}

/**
 * It labels every metric (`service="…"`), names the migrations table (`identity_migrations`) and
 * opens every configuration error.
 */
export const SERVICE_NAME = 'identity';

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadIdentitySettings(env = readFaultlineEnvironment()): IdentitySettings {
  const config = loadConfig(SERVICE_NAME, identityEnvironment, env);
  const issuer = (config.IDENTITY_ISSUER ?? `http://${LOOPBACK}:${config.IDENTITY_HTTP_PORT}`).replace(/\/$/, '');
  // The same policy the verifiers apply: its lifetime, and its refusal of `naive` outside workshop mode.
  const tokens = defineTokenPolicy(SERVICE_NAME, { mode: config.FAULTLINE_TOKEN_VALIDATION, issuer, audiences: [USER_TOKEN_AUDIENCE] }, env);
  return {
    service: { name: SERVICE_NAME, version: packageVersion(import.meta.url) },
    ...serviceBasics('IDENTITY', 'direct', config),
    abuseLimits: resolveAbuseLimits(config),
    identity: {
      issuer,
      clientSecrets: { orders: config.IDENTITY_ORDERS_CLIENT_SECRET, operator: config.IDENTITY_OPERATOR_CLIENT_SECRET },
      cookieSecret: config.IDENTITY_COOKIE_SECRET,
      demoAccounts: config.IDENTITY_DEMO_ACCOUNTS === 'true',
      keyReloadIntervalMs: config.IDENTITY_KEY_RELOAD_INTERVAL_MS,
      accessTokenLifetimeSeconds: tokens.lifetimeSeconds,
    },
  };
}
