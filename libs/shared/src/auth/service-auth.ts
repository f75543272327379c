import { z } from 'zod';
import { ConfigurationError } from '../config/index.js';
import { jwksUrlOf } from './remote-jwks.js';
import { defineTokenPolicy, type TokenPolicy } from './token-policy.js';

/** The `iss` of every Faultline token: the orders service hosts the workshop's issuer (ADR 0011). */
export const FAULTLINE_TOKEN_ISSUER = 'faultline-orders';
/** The `aud` of a user token: any service's public API. Service tokens name the called service instead. */
export const USER_TOKEN_AUDIENCE = 'faultline-api';

/** How a service checks tokens; ServiceDefaultsModule turns it into the global guard (article 2). */
export interface ServiceAuthOptions {
  /** `enforce` refuses requests without a valid token; `off` lets everything through. */
  enforcement: 'enforce' | 'off';
  /** Issuer, audiences (user tokens and this service's own name), lifetime, tolerance, maxTokenAge. */
  policy: TokenPolicy;
  /** Where the issuer's public keys come from: this process's own issuer, or a JWKS over HTTP. */
  keys: 'in-process' | URL;
  /** True in the service that hosts the issuer: it signs tokens and serves `/.well-known/jwks.json`. */
  issues: boolean;
}

/**
 * The environment variables of token checking, shared by every service's config (spread into its
 * schema):
 * - `FAULTLINE_AUTH` `enforce` (default) | `off` (lets every request through; ADR 0011).
 * - `FAULTLINE_TOKEN_VALIDATION` `naive` (workshop only): zero tolerance and 24 h tokens (article 2).
 * - `FAULTLINE_JWKS_URL`: another issuer's JWKS, so a test verifies tokens of its own test issuer
 *   without the orders service running.
 */
export const serviceAuthEnvironment = {
  FAULTLINE_AUTH: z.enum(['enforce', 'off']).default('enforce'),
  FAULTLINE_TOKEN_VALIDATION: z.enum(['correct', 'naive']).default('correct'),
  FAULTLINE_JWKS_URL: z.url().optional(),
};

type AuthEnvironment = z.infer<z.ZodObject<typeof serviceAuthEnvironment>>;

/**
 * The auth options of `service` from its validated environment. `issuerUrl` is where the orders
 * service (the issuer) listens; the issuer itself passes `issues: true` and verifies in-process.
 */
export function resolveServiceAuth(
  service: string,
  config: AuthEnvironment,
  { issuerUrl, issues = false }: { issuerUrl: string; issues?: boolean },
  env: Record<string, string | undefined>,
): ServiceAuthOptions {
  const policy = defineTokenPolicy(
    service,
    { mode: config.FAULTLINE_TOKEN_VALIDATION, issuer: FAULTLINE_TOKEN_ISSUER, audiences: [USER_TOKEN_AUDIENCE, service] },
    env,
  );
  if (config.FAULTLINE_JWKS_URL !== undefined && !/^https?:$/.test(new URL(config.FAULTLINE_JWKS_URL).protocol)) {
    throw new ConfigurationError(service, [`FAULTLINE_JWKS_URL must be an http(s) URL, got "${config.FAULTLINE_JWKS_URL}"`]);
  }
  const keys =
    config.FAULTLINE_JWKS_URL !== undefined ? new URL(config.FAULTLINE_JWKS_URL) : issues ? 'in-process' : jwksUrlOf(issuerUrl);
  return { enforcement: config.FAULTLINE_AUTH, policy, keys, issues };
}
