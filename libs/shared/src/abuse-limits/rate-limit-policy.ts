import type { IncomingMessage } from 'node:http';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '../auth/public-route.decorator.js';
import { USER_TOKEN_AUDIENCE, type VerifiedToken } from '../auth/index.js';
import type { RateLimitPolicy } from './abuse-limits.js';
import { RATE_LIMIT_POLICY, type RouteRateLimitPolicy } from './rate-limit.decorator.js';

export type LimitedRequest = IncomingMessage & { ip?: string; verifiedToken?: VerifiedToken };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one policy a request is counted under, or undefined for a request no limit applies to: a
 * public read (health, readiness, metrics, the JWKS, peers' clock probes), which orchestrators,
 * Prometheus and peers call on a schedule without a token.
 */
export function rateLimitPolicyOf(context: ExecutionContext, reflector: Reflector): RateLimitPolicy | undefined {
  const targets = [context.getHandler(), context.getClass()];
  const routePolicy = reflector.getAllAndOverride<RouteRateLimitPolicy | undefined>(RATE_LIMIT_POLICY, targets);
  if (routePolicy !== undefined) return routePolicy;
  const request = context.switchToHttp().getRequest<LimitedRequest>();
  if (request.verifiedToken && isServiceToken(request.verifiedToken)) return 'peer-services';
  if (WRITE_METHODS.has(request.method ?? '')) return 'writes';
  return reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) ? undefined : 'reads';
}

/** A service token names the called service as its audience; a user token names the public API (ADR 0011). */
function isServiceToken(token: VerifiedToken): boolean {
  return !token.audiences.includes(USER_TOKEN_AUDIENCE);
}

/**
 * Who a request is counted against: the verified token's subject when the guard before this one
 * accepted a token, else the client's address (the socket's peer unless proxies are trusted).
 * `credentials` is always per address: its callers have no token yet, and a token sent along
 * must not buy a fresh budget.
 */
export function rateLimitKeyOf(policy: RateLimitPolicy, request: LimitedRequest, address: string): string {
  const subject = request.verifiedToken?.subject;
  return policy !== 'credentials' && subject !== undefined ? `${policy}|sub:${subject}` : `${policy}|ip:${address}`;
}

/** "60 writes (POST, PUT, PATCH, DELETE) a minute per caller", for the 429's detail. */
export function describeRateLimit(policy: RateLimitPolicy, limit: number): string {
  switch (policy) {
    case 'writes':
      return `${limit} writes (POST, PUT, PATCH, DELETE) a minute per caller`;
    case 'reads':
      return `${limit} reads a minute per caller`;
    case 'credentials':
      return `${limit} token requests a minute per client address`;
    case 'peer-services':
      return `${limit} requests a minute per calling service`;
  }
}
