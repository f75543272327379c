export {
  BODY_TOO_LARGE_PROBLEM,
  DEFAULT_ABUSE_LIMITS,
  HEADERS_TOO_LARGE_PROBLEM,
  RATE_LIMITED_PROBLEM,
  RATE_LIMIT_POLICIES,
  type AbuseLimits,
  type RateLimitPolicy,
  type TrustedProxies,
} from './abuse-limits.js';
export { abuseLimitsEnvironment, abuseLimitsEnvironmentWith, resolveAbuseLimits } from './abuse-limits-environment.js';
export { BoundedHttpAdapter } from './bounded-http-adapter.js';
export { RateLimit, RATE_LIMIT_POLICY, type RouteRateLimitPolicy } from './rate-limit.decorator.js';
export { RateLimitGuard } from './rate-limit.guard.js';
export { RATE_LIMIT_GUARD, RateLimitModule } from './rate-limit.module.js';
export { limitRequestBodies } from './request-body-limit.js';
export { trustProxies } from './trusted-proxies.js';
