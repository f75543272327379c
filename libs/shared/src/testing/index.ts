export { InfrastructureUnavailableError, requireReachable } from './infrastructure.js';
