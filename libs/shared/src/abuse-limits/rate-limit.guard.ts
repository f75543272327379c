import type { ServerResponse } from 'node:http';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, normalizeIp, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { ProblemDetailsException } from '../problem-details/index.js';
import { RATE_LIMITED_PROBLEM } from './abuse-limits.js';
import { describeRateLimit, rateLimitKeyOf, rateLimitPolicyOf, type LimitedRequest } from './rate-limit-policy.js';

/**
 * @nestjs/throttler's guard with Faultline's policies (rate-limit-policy.ts): one policy per
 * request, counted per caller across all the service's routes (not per route, so a caller cannot
 * multiply its budget by the number of routes), in a sliding one-minute window.
 *
 * Registered globally by ServiceDefaultsModule right after BearerTokenGuard, so the verified
 * token's subject is known, and before AccessRuleGuard, so a caller over its limit costs no
 * ownership lookup. A refusal is a 429 problem+json with `Retry-After` (RFC 9110 §10.2.3): the
 * seconds until the oldest counted request leaves the window and frees a slot.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    // Kafka handlers get the app's guards too (inheritAppConfig): events are not HTTP requests.
    return Promise.resolve(context.getType() !== 'http');
  }

  /** Called once per policy: only the request's own policy counts it. */
  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const policy = rateLimitPolicyOf(request.context, this.reflector);
    if (policy === undefined || policy !== request.throttler.name) return Promise.resolve(true);
    return super.handleRequest({
      ...request,
      getTracker: (req) => normalizeIp((req as LimitedRequest).ip ?? 'unknown', this.ipv6SubnetPrefix),
      generateKey: (context, address) => rateLimitKeyOf(policy, context.switchToHttp().getRequest<LimitedRequest>(), address),
    });
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const policy = rateLimitPolicyOf(context, this.reflector) ?? 'reads';
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<ServerResponse>().setHeader('Retry-After', String(retryAfterSeconds));
    throw new ProblemDetailsException({
      type: RATE_LIMITED_PROBLEM,
      title: 'Too Many Requests',
      status: 429,
      detail: `Rate limit exceeded: at most ${describeRateLimit(policy, detail.limit)}. Retry in ${retryAfterSeconds} s.`,
      policy,
      limit: detail.limit,
      windowSeconds: detail.ttl / 1_000,
      retryAfterSeconds,
    });
  }
}
