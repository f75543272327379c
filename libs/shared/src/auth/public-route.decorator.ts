import { SetMetadata } from '@nestjs/common';

/** Where `@PublicRoute()` marks a route the global token guard lets through without a token. */
export const PUBLIC_ROUTE = Symbol.for('faultline.PublicRoute');

/**
 * Marks a controller or route as reachable without a bearer token: probes (/health, /ready), the
 * metrics scrape, peers' clock probes (/time), the JWKS, and the workshop's token endpoint. Every
 * other route of a service with an `auth` option needs a token (article 2): opening a route is an
 * explicit, reviewable decision, never a forgotten decorator.
 */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}
