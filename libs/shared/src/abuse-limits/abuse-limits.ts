/**
 * The rate limit policies. Exactly one applies to a request (see rate-limit-policy.ts):
 * - `writes`: POST, PUT, PATCH and DELETE of one caller (the token's `sub`, else the client IP);
 * - `reads`: every other method of one caller, except public reads (probes, metrics, keys, clocks);
 * - `credentials`: a route marked `@RateLimit('credentials')` (it hands out tokens), per client IP;
 * - `peer-services`: every request carrying a service token (another Faultline service calling).
 */
export const RATE_LIMIT_POLICIES = ['writes', 'reads', 'credentials', 'peer-services'] as const;
export type RateLimitPolicy = (typeof RATE_LIMIT_POLICIES)[number];

/**
 * Which proxies may tell the client's address in `X-Forwarded-For`: none (`false`, the socket's
 * peer is the client), the closest `n` hops, or the listed addresses and subnets (Express's
 * `trust proxy` forms: `loopback`, `10.0.0.0/8`, …).
 */
export type TrustedProxies = false | number | readonly string[];

/** Every limit that protects a service from a caller who sends too much, too fast or too big. */
export interface AbuseLimits {
  /** Requests per minute that one key may make under each policy. */
  requestsPerMinute: Readonly<Record<RateLimitPolicy, number>>;
  /** Largest JSON (or form) request body; a bigger one gets 413. */
  jsonBodyBytes: number;
  /** Largest request line plus headers (Node's `maxHeaderSize`); a bigger one gets 431. */
  headerBytes: number;
  trustedProxies: TrustedProxies;
}

/**
 * The production defaults, stated once (ADR 0016):
 * - 60 writes a minute per caller: a person places, cancels or edits a few things a minute; a
 *   client sending one write a second for a whole minute is looping or scripted.
 * - 600 reads a minute per caller: ten a second, room for a page that makes several calls and
 *   polls, while bounding a scrape of everything a token can see.
 * - 10 credential requests a minute per IP: a client needs a token once per lifetime (10 min), so
 *   this leaves room for retries and a few people behind one address, and stops token farming.
 * - 6,000 requests a minute per peer service: far above what the saga sends (two payment calls per
 *   order), a ceiling for a runaway retry loop rather than a quota.
 * - 100 KiB of JSON: body-parser's own default, the limit in effect before it was written down; the
 *   largest valid body (an order with its items) is a few kB.
 * - 16 KiB of request line and headers: Node's default; a bearer token is about 1 KB.
 */
export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  requestsPerMinute: { writes: 60, reads: 600, credentials: 10, 'peer-services': 6_000 },
  jsonBodyBytes: 100 * 1024,
  headerBytes: 16 * 1024,
  trustedProxies: false,
};

/** The problem type of a request over its rate limit (429, with `Retry-After`). */
export const RATE_LIMITED_PROBLEM = 'urn:faultline:problem:rate-limited';
/** The problem type of a request body over `jsonBodyBytes` (413). */
export const BODY_TOO_LARGE_PROBLEM = 'urn:faultline:problem:body-too-large';
/** The problem type of a request line and headers over `headerBytes` (431). */
export const HEADERS_TOO_LARGE_PROBLEM = 'urn:faultline:problem:headers-too-large';
