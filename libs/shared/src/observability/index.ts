export { httpLoggerOptions } from './http-logger-options.js';
export { httpMetricsMiddleware } from './http-metrics.middleware.js';
export { currentLogFields, withLogFields } from './log-fields.js';
export { MetricsController } from './metrics.controller.js';
export { ObservabilityModule } from './observability.module.js';
export { LOG_LEVELS, createServiceLogger, logLevel, type LogLevel } from './service-logger.js';
export { ServiceMetrics } from './service-metrics.js';
