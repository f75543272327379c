import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock/index.js';
import { DependencyClientError } from './dependency-errors.js';
import { DependencyMetrics } from './dependency-metrics.js';
import { DependencyPipeline, perDependencyPolicies } from './dependency-pipeline.js';
import { processWidePolicies } from './naive-breaker.js';
import { assertValidPolicy, requireAllowedBreakerMode, type BreakerMode, type ResiliencePolicy } from './resilience-policy.js';

export interface DependencyPipelineOptions {
  /** Names the dependency in metrics, logs and errors: `payment-provider`. */
  dependency: string;
  policy: ResiliencePolicy;
  mode?: BreakerMode;
  /** Which errors count against the breaker (and may be retried). Default: anything but a 4xx. */
  isFailure?: (error: unknown) => boolean;
  registry: Registry;
  logger: Logger;
  /** Times the attempts (metrics) and the breaker's open period (Retry-After). */
  clock: Clock;
  /** Where workshop mode is read from, for a workshop switch; the process's environment when unset. */
  env?: Record<string, string | undefined>;
}

/**
 * Builds the pipeline for one dependency (see DependencyPipeline for the order of the policies);
 * `mode: 'naive'` builds article 1's breaker that never opens (naive-breaker.ts) instead.
 */
export function createDependencyPipeline(options: DependencyPipelineOptions): DependencyPipeline {
  const { dependency, mode = 'correct', registry, logger, clock } = options;
  const policy = assertValidPolicy(dependency, options.policy);
  requireAllowedBreakerMode(`${dependency} pipeline`, mode, options.env);
  const isFailure = options.isFailure ?? ((error: unknown) => !(error instanceof DependencyClientError));
  const policies = mode === 'naive' ? processWidePolicies(policy, isFailure) : perDependencyPolicies(policy, isFailure);
  return new DependencyPipeline(dependency, {
    ...policies,
    halfOpenAfterMs: policy.breaker.halfOpenAfterMs,
    metrics: new DependencyMetrics(registry, dependency),
    logger: logger.child({ component: 'DependencyPipeline', dependency }),
    clock,
  });
}
