import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AbuseLimits } from './abuse-limits.js';

/**
 * Tells Express which proxies' `X-Forwarded-For` to believe, so `request.ip` (the rate limits'
 * key for callers without a token) is the client behind them. By default none: the header is
 * whatever the client wrote, and believing it would let one client pose as any number of others.
 */
export function trustProxies(app: NestExpressApplication, { trustedProxies }: Pick<AbuseLimits, 'trustedProxies'>): void {
  app.set('trust proxy', typeof trustedProxies === 'object' ? [...trustedProxies] : trustedProxies);
}
