import { z } from 'zod';
import { port } from '../config/index.js';
import { defineTokenPolicy, type TokenPolicy } from './token-policy.js';

/** The `aud` of a user token: any service's public API. Service tokens name the called service instead. */
export const USER_TOKEN_AUDIENCE = 'faultline-api';

/** How a service checks tokens; ServiceDefaultsModule turns it into the global guard (article 2). */
export interface ServiceAuthOptions {
  /** `enforce` refuses requests without a valid token; `off` lets everything through. */
  enforcement: 'enforce' | 'off';
  /** Issuer, audiences (user tokens and this service's own name), lifetime, tolerance, maxTokenAge. */
  policy: TokenPolicy;
  /** The issuer's JWKS, fetched over HTTP and cached (remote-jwks.ts). */
  keys: URL;
}

/**
 * The environment variables of token checking, shared by every service's config (spread into its
 * schema). Every service trusts one issuer, the identity provider (apps/identity, ADR 0015):
 * - `FAULTLINE_AUTH` `enforce` (default) | `off` (lets every request through; ADR 0011).
 * - `FAULTLINE_TOKEN_VALIDATION` `naive` (workshop only): zero tolerance and 24 h tokens (article 2).
 * - `FAULTLINE_TOKEN_ISSUER`: the `iss` tokens must carry; default the identity provider's own
 *   issuer, `IDENTITY_ISSUER` or else `http://127.0.0.1:<IDENTITY_HTTP_PORT>`, so one setting moves both.
 * - `FAULTLINE_JWKS_URL`: the issuer's keys; default `<issuer>/oidc/jwks`, where the provider serves them.
 */
export const serviceAuthEnvironment = {
  FAULTLINE_AUTH: z.enum(['enforce', 'off']).default('enforce'),
  FAULTLINE_TOKEN_VALIDATION: z.enum(['correct', 'naive']).default('correct'),
  FAULTLINE_TOKEN_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  FAULTLINE_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  IDENTITY_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  IDENTITY_HTTP_PORT: port(),
};

type AuthEnvironment = z.infer<z.ZodObject<typeof serviceAuthEnvironment>>;

/** The issuer a service trusts, from its validated environment (see serviceAuthEnvironment). */
export function trustedIssuer(config: AuthEnvironment): string {
  return (config.FAULTLINE_TOKEN_ISSUER ?? config.IDENTITY_ISSUER ?? `http://127.0.0.1:${config.IDENTITY_HTTP_PORT}`).replace(/\/$/, '');
}

/**
 * The resource indicator (RFC 8707) under which the identity provider issues tokens for `audience`:
 * `billing` → `urn:faultline:billing`. Indicators must be absolute URIs; audiences stay short names.
 */
export function resourceIndicatorOf(audience: string): string {
  return audience.includes(':') ? audience : `urn:faultline:${audience}`;
}

/** The auth options of `service` from its validated environment. */
export function resolveServiceAuth(service: string, config: AuthEnvironment, env: Record<string, string | undefined>): ServiceAuthOptions {
  const issuer = trustedIssuer(config);
  const policy = defineTokenPolicy(
    service,
    { mode: config.FAULTLINE_TOKEN_VALIDATION, issuer, audiences: [USER_TOKEN_AUDIENCE, service] },
    env,
  );
  const keys = new URL(config.FAULTLINE_JWKS_URL ?? `${issuer}/oidc/jwks`);
  return { enforcement: config.FAULTLINE_AUTH, policy, keys };
}
