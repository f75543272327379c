export { HostedWorker, type HostedWorkerOptions } from './hosted-worker.js';
export { hostedWorkerModule, type HostedWorkerModuleDefinition } from './hosted-worker.module.js';
export { connectTemporalClient, connectTemporalWorker, routeTemporalLogs, type TemporalAddress } from './temporal-connections.js';
export { tracingClientInterceptors, workerTracing, type WorkerTracing } from './tracing/index.js';
