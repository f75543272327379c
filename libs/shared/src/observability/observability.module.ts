import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceIdentity } from '../config/index.js';
import { MetricsController } from './metrics.controller.js';
import { ServiceMetrics } from './service-metrics.js';

/** `/metrics` and the process's ServiceMetrics, injectable wherever a mechanism records something. */
@Module({})
export class ObservabilityModule {
  static forRoot(service: ServiceIdentity): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: ServiceMetrics, useValue: new ServiceMetrics(service) }],
      exports: [ServiceMetrics],
    };
  }
}
