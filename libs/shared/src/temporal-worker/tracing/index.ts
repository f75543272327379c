export { tracingClientInterceptors, workerTracing, type WorkerTracing } from './workflow-tracing.js';
