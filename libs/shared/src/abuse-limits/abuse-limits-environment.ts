import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits, type TrustedProxies } from './abuse-limits.js';

const perMinute = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const bytes = (fallback: number, max: number) => z.coerce.number().int().min(1_024).max(max).default(fallback);

/** Express's names for groups of addresses, accepted beside addresses and subnets. */
const ADDRESS_GROUPS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (ADDRESS_GROUPS.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * `FAULTLINE_TRUST_PROXY`: unset or empty trusts no proxy; a number trusts that many hops; otherwise
 * a comma-separated list of addresses, subnets, or `loopback` / `linklocal` / `uniquelocal`.
 */
const trustedProxies = () =>
  z
    .string()
    .optional()
    .transform((value, context): TrustedProxies => {
      const text = value?.trim() ?? '';
      if (text === '' || text === 'false') return false;
      if (/^\d+$/.test(text)) return Number(text);
      const entries = text.split(',').map((entry) => entry.trim());
      const wrong = entries.filter((entry) => !isAddressOrSubnet(entry));
      if (wrong.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `${wrong.join(', ')}: expected a hop count, or addresses and subnets (10.0.0.0/8), or loopback, linklocal, uniquelocal`,
        });
        return z.NEVER;
      }
      return entries;
    });

/**
 * The environment variables of the abuse limits, shared by every service's config (spread into its
 * schema). Unset, each takes the production default of `defaults`:
 * - `FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE` (60), `FAULTLINE_RATE_LIMIT_READS_PER_MINUTE` (600): per caller;
 * - `FAULTLINE_RATE_LIMIT_CREDENTIALS_PER_MINUTE` (10): per client IP, on routes that hand out tokens;
 * - `FAULTLINE_RATE_LIMIT_PEER_SERVICES_PER_MINUTE` (6000): per calling service;
 * - `FAULTLINE_JSON_BODY_LIMIT_BYTES` (102400), `FAULTLINE_MAX_HEADER_BYTES` (16384);
 * - `FAULTLINE_TRUST_PROXY` (unset: no proxy is trusted, `X-Forwarded-For` is ignored).
 */
export function abuseLimitsEnvironmentWith(defaults: AbuseLimits) {
  const { requestsPerMinute, jsonBodyBytes, headerBytes } = defaults;
  return {
    FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE: perMinute(requestsPerMinute.writes),
    FAULTLINE_RATE_LIMIT_READS_PER_MINUTE: perMinute(requestsPerMinute.reads),
    FAULTLINE_RATE_LIMIT_CREDENTIALS_PER_MINUTE: perMinute(requestsPerMinute.credentials),
    FAULTLINE_RATE_LIMIT_PEER_SERVICES_PER_MINUTE: perMinute(requestsPerMinute['peer-services']),
    FAULTLINE_JSON_BODY_LIMIT_BYTES: bytes(jsonBodyBytes, 100 * 1024 * 1024),
    FAULTLINE_MAX_HEADER_BYTES: bytes(headerBytes, 1024 * 1024),
    FAULTLINE_TRUST_PROXY: trustedProxies(),
  };
}

/** The fragment with the production defaults (DEFAULT_ABUSE_LIMITS). */
export const abuseLimitsEnvironment = abuseLimitsEnvironmentWith(DEFAULT_ABUSE_LIMITS);

type AbuseLimitsEnvironment = z.infer<z.ZodObject<typeof abuseLimitsEnvironment>>;

/** The abuse limits of a service from its validated environment. */
export function resolveAbuseLimits(config: AbuseLimitsEnvironment): AbuseLimits {
  return {
    requestsPerMinute: {
      writes: config.FAULTLINE_RATE_LIMIT_WRITES_PER_MINUTE,
      reads: config.FAULTLINE_RATE_LIMIT_READS_PER_MINUTE,
      credentials: config.FAULTLINE_RATE_LIMIT_CREDENTIALS_PER_MINUTE,
      'peer-services': config.FAULTLINE_RATE_LIMIT_PEER_SERVICES_PER_MINUTE,
    },
    jsonBodyBytes: config.FAULTLINE_JSON_BODY_LIMIT_BYTES,
    headerBytes: config.FAULTLINE_MAX_HEADER_BYTES,
    trustedProxies: config.FAULTLINE_TRUST_PROXY,
  };
}
