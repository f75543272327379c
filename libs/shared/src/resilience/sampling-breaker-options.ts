import type { ISamplingBreakerOptions } from 'cockatiel';
import type { ResiliencePolicy } from './resilience-policy.js';

/**
 * Translates the policy's breaker numbers into cockatiel's SamplingBreaker options, whose units are
 * not the ones people reason in (article 1: a breaker that never opens is usually a breaker whose
 * numbers nobody converted):
 *
 * - cockatiel asks for a minimum volume as `minimumRps` (calls per second over the window), and
 *   opens only when `calls in window ≥ duration × minimumRps`. We think in calls per window, so
 *   `minimumRps = minimumCalls / windowSeconds`. Half a call is taken off so that floating-point
 *   rounding (10 000 × 0.0005 = 5.000000000000001) can never demand one call more than configured.
 * - cockatiel opens when `failures > threshold × calls` (strictly); we promise "at or above the
 *   ratio", so the threshold is the ratio minus a hair. It must also stay below 1 for cockatiel.
 */
export function samplingBreakerOptions(breaker: ResiliencePolicy['breaker']): ISamplingBreakerOptions {
  const windowSeconds = breaker.samplingDurationMs / 1_000;
  return {
    duration: breaker.samplingDurationMs,
    minimumRps: (breaker.minimumCalls - 0.5) / windowSeconds,
    threshold: Math.min(breaker.failureRatio - RATIO_EPSILON, 1 - RATIO_EPSILON),
  };
}

const RATIO_EPSILON = 1e-9;
