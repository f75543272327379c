import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceMetrics } from '@faultline/shared/observability';
import { ConsistencyWaitMetrics } from './consistency-wait-metrics.js';
import { ConsistentReads } from './consistent-reads.js';
import { TokenIgnoringReads } from './naive-reads.js';
import { OrderProjector } from './order-projector.js';
import { PROJECTION_OPTIONS, type ProjectionOptions } from './projection-options.js';

/**
 * The read models' part of the orders service (article 5): their options, the projector, and the
 * reads GetOrder and ListCustomerOrders wait through — ConsistentReads, or article 5's
 * token-ignoring reads when ORDERS_READS is `naive` (naive-reads.ts).
 */
export function projectionProviders(options: ProjectionOptions): Provider[] {
  const Reads = options.reads === 'naive' ? TokenIgnoringReads : ConsistentReads;
  return [
    { provide: PROJECTION_OPTIONS, useValue: options },
    OrderProjector,
    {
      provide: ConsistentReads,
      useFactory: (dataSource: DataSource, metrics: ServiceMetrics) => new Reads(dataSource, options, new ConsistencyWaitMetrics(metrics)),
      inject: [DataSource, ServiceMetrics],
    },
  ];
}
