import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/index.js';
import { KafkaClient, OrderedProducer } from '../messaging/index.js';
import { ServiceMetrics } from '../observability/index.js';
import { NaiveOutboxRelay, createUnorderedProducer } from './naive-publishing.js';
import { OutboxRelay } from './outbox-relay.js';
import {
  OUTBOX_OPTIONS,
  resolveOutboxOptions,
  type OutboxOptions,
  type ResolvedOutboxOptions,
} from './outbox-options.js';
import { Outbox } from './outbox.js';

/**
 * The transactional outbox: `Outbox` to append events inside a transaction, `OutboxRelay` to
 * publish them, started and stopped with the application. The app lists `OutboxMessage` among its
 * entities and creates the outbox table in one of its migrations. The options are validated when
 * the application starts: a bad value, or a workshop switch outside workshop mode, stops it there.
 * Global, like the database it writes through: a service has one outbox and one relay, and every
 * module that appends events injects that same `Outbox` without importing the module again.
 */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxOptions): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        { provide: OUTBOX_OPTIONS, useFactory: () => resolveOutboxOptions(options) },
        { provide: OutboxRelay, useFactory: createRelay, inject: [OUTBOX_OPTIONS, DataSource, KafkaClient, OrderedProducer, CLOCK, ServiceMetrics] },
        Outbox,
      ],
      exports: [Outbox, OutboxRelay],
    };
  }
}

/** The relay the options ask for; `publishing: 'naive'` builds article 4's (naive-publishing.ts). */
function createRelay(
  options: ResolvedOutboxOptions,
  dataSource: DataSource,
  kafka: KafkaClient,
  producer: OrderedProducer,
  clock: Clock,
  metrics: ServiceMetrics,
): OutboxRelay {
  if (options.publishing === 'naive') return new NaiveOutboxRelay(dataSource, createUnorderedProducer(kafka), clock, options, metrics);
  return new OutboxRelay(dataSource, producer, clock, options, metrics);
}
