import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiProblemResponse } from '../problem-details/index.js';

/** Where `@RateLimit(...)` leaves a route's policy for RateLimitGuard. */
export const RATE_LIMIT_POLICY = Symbol.for('faultline.RateLimitPolicy');

/** The policies a route may ask for instead of the one its method and caller select. */
export type RouteRateLimitPolicy = 'credentials';

/**
 * Puts a route under a stricter rate limit policy than its method would. `credentials`: the route
 * hands out tokens to callers who have none (a sign-in), so it is limited per client IP, whatever
 * token the request carries, at the lowest rate of all (ADR 0016).
 */
export function RateLimit(policy: RouteRateLimitPolicy): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMIT_POLICY, policy),
    ApiProblemResponse(429, 'Too many token requests from this address: wait for the Retry-After seconds'),
  );
}
