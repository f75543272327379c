export { HealthController } from './health.controller.js';
export { HealthModule } from './health.module.js';
export { KafkaHealthIndicator } from './kafka.health.js';
