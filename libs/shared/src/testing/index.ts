export { eventually } from './eventually.js';
export { InfrastructureUnavailableError, requireReachable } from './infrastructure.js';
export { expectProblem, itBehavesLikeAFaultlineService, type ConformanceTarget } from './service-conformance.js';
export { metricValue } from './metric-value.js';
export { startTestIssuer, type TestIssuer } from './test-issuer.js';
export { forgeTokens, type ForgedTokens } from './forged-tokens.js';
export { bearerFetch } from './bearer-fetch.js';
export { ServiceProcess, freePort, freePorts, requirePortFree, workspaceRoot, type ServiceProcessOptions } from './service-process.js';
export { idleTestConsumer } from './test-consumer.js';
