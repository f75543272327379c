import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

/**
 * How a verifier keeps the issuer's keys (`GET <issuer>/oidc/jwks`, the identity provider's JWKS), explained once:
 * - `cacheMaxAgeMs` 5 min: a key the issuer withdrew (say, after a leak) stays trusted here at most
 *   this long. Routine rotation needs no refetch timing: the issuer keeps publishing an old key
 *   until its last token has expired.
 * - `cooldownDurationMs` 30 s: an unknown `kid` (the issuer just rotated) triggers a refetch, but at
 *   most once per 30 s, so a flood of forged kids cannot turn this service into a JWKS hammer.
 * - `timeoutMs` 2 s: a slow issuer fails the request with a clear "keys unavailable" instead of
 *   holding every authenticated request hostage.
 */
export interface RemoteJwksSettings {
  cacheMaxAgeMs: number;
  cooldownDurationMs: number;
  timeoutMs: number;
}

export const DEFAULT_REMOTE_JWKS_SETTINGS: RemoteJwksSettings = {
  cacheMaxAgeMs: 5 * 60_000,
  cooldownDurationMs: 30_000,
  timeoutMs: 2_000,
};

/** A key resolver for `TokenVerifier` that fetches and caches a peer's JWKS. */
export function remoteJwks(url: URL, settings: RemoteJwksSettings = DEFAULT_REMOTE_JWKS_SETTINGS): JWTVerifyGetKey {
  return createRemoteJWKSet(url, {
    cacheMaxAge: settings.cacheMaxAgeMs,
    cooldownDuration: settings.cooldownDurationMs,
    timeoutDuration: settings.timeoutMs,
  });
}

