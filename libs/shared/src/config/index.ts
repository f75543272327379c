export { ConfigurationError, loadConfig, port } from './load-config.js';
export { FAULTLINE_ENV_FILE, findFaultlineEnvFile, readFaultlineEnvironment } from './faultline-env-file.js';
export { packageVersion, type ServiceIdentity } from './service-identity.js';
export { WORKSHOP_MODE_VARIABLE, requireWorkshopMode } from './workshop-mode.js';
