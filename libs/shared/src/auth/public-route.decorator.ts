/**
 * Where `@Access.public(reason)` marks a route the global token guard lets through without a token:
 * probes (/health, /ready), the metrics scrape, peers' clock probes (/time), the JWKS, and the
 * workshop's switches. Every other route of a service with an `auth` option needs a token (article
 * 2): opening a route is an explicit, reviewable decision, never a forgotten decorator.
 */
export const PUBLIC_ROUTE = Symbol.for('faultline.PublicRoute');
