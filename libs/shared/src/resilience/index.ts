export { DependencyClientError, DependencyTimeoutError, DependencyUnavailableError } from './dependency-errors.js';
export { DependencyMetrics, type BreakerStateName, type CallOutcome } from './dependency-metrics.js';
export { DependencyPipeline } from './dependency-pipeline.js';
export { createDependencyPipeline, type DependencyPipelineOptions } from './create-dependency-pipeline.js';
export {
  DEFAULT_RESILIENCE_POLICY,
  assertValidPolicy,
  breakerMode,
  requireAllowedBreakerMode,
  type BreakerMode,
  type ResiliencePolicy,
} from './resilience-policy.js';
export { samplingBreakerOptions } from './sampling-breaker-options.js';
