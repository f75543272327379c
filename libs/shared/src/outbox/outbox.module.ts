import { Module, type DynamicModule } from '@nestjs/common';
import { KafkaClient, OrderedProducer, type MessageProducer } from '../messaging/index.js';
import { OutboxRelay } from './outbox-relay.js';
import {
  OUTBOX_OPTIONS,
  OUTBOX_PRODUCER,
  resolveOutboxOptions,
  type OutboxOptions,
  type ResolvedOutboxOptions,
} from './outbox-options.js';
import { Outbox } from './outbox.js';

/**
 * The transactional outbox: `Outbox` to append events inside a transaction, `OutboxRelay` to
 * publish them, started and stopped with the application. The app lists `OutboxMessage` among its
 * entities and creates the outbox table in one of its migrations. The options are validated when
 * the application starts: a bad value, or naive publishing outside workshop mode, stops it there.
 */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_OPTIONS, useFactory: () => resolveOutboxOptions(options) },
        { provide: OUTBOX_PRODUCER, useFactory: relayProducer, inject: [OUTBOX_OPTIONS, KafkaClient, OrderedProducer] },
        Outbox,
        OutboxRelay,
      ],
      exports: [Outbox, OutboxRelay],
    };
  }
}

/**
 * The service's OrderedProducer. Naive publishing (workshop, article 4) gets an UnorderedProducer
 * of its own instead: not idempotent, several requests in flight, so a retried request can land
 * behind the one sent after it.
 */
function relayProducer(options: ResolvedOutboxOptions, kafka: KafkaClient, ordered: OrderedProducer): MessageProducer {
  return options.publishing === 'naive' ? kafka.createUnorderedProducer() : ordered;
}
