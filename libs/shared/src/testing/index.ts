export { eventually } from './eventually.js';
export { InfrastructureUnavailableError, requireReachable } from './infrastructure.js';
export { expectProblem, itBehavesLikeAFaultlineService, type ConformanceTarget } from './service-conformance.js';
export { metricValue } from './metric-value.js';
