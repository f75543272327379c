export { startTracing, tracingEnabled } from './start-tracing.js';
export { FlushSpansOnShutdown, flushSpans } from './span-flush.js';
