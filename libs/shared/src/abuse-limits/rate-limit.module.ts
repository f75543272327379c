import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { RATE_LIMIT_POLICIES, type AbuseLimits } from './abuse-limits.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/** One minute: every limit is "requests a minute", in a sliding window. */
const WINDOW_MS = 60_000;

/**
 * @nestjs/throttler configured with one throttler per policy, counting in this process's memory.
 * The guard itself is registered by the importer, as RATE_LIMIT_GUARD, where its place among the
 * global guards is decided (after the token guard).
 */
@Module({})
export class RateLimitModule {
  static forRoot(limits: AbuseLimits): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: RATE_LIMIT_POLICIES.map((name) => ({
            name,
            limit: limits.requestsPerMinute[name],
            ttl: WINDOW_MS,
            // No penalty box: a refused request is not counted, and a slot frees as soon as the
            // oldest counted request is a minute old, which is what Retry-After tells.
            blockDuration: 0,
          })),
        }),
      ],
      exports: [ThrottlerModule],
    };
  }
}

/** The global rate limit guard, to list among APP_GUARD providers after the token guard. */
export const RATE_LIMIT_GUARD: Provider = { provide: APP_GUARD, useClass: RateLimitGuard };
