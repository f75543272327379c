export { startTracing } from './start-tracing.js';
export { FlushSpansOnShutdown } from './span-flush.js';
