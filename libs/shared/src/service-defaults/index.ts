export { runService, startService, type RunningService } from './bootstrap-service.js';
export { RequestOrigin, type Origin } from './request-origin.js';
export { runMigrations } from './run-migrations.js';
export { ServiceDefaultsModule, type ServiceDefaultsOptions } from './service-defaults.module.js';
export { serviceBasics, serviceEnvironment, type ServiceBasics, type ServiceEnvironment, type ServiceLinks } from './service-environment.js';
export { LOOPBACK, SERVICE_LOGGER, SERVICE_SETTINGS, type ServiceSettings } from './service-settings.js';
