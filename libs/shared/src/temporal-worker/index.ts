export { HostedWorker, type HostedWorkerOptions } from './hosted-worker.js';
export { connectTemporalClient, connectTemporalWorker, routeTemporalLogs, type TemporalAddress } from './temporal-connections.js';
