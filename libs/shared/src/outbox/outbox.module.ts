import { Module, type DynamicModule } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.js';
import { OUTBOX_OPTIONS, resolveOutboxOptions, type OutboxOptions } from './outbox-options.js';
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
      providers: [{ provide: OUTBOX_OPTIONS, useFactory: () => resolveOutboxOptions(options) }, Outbox, OutboxRelay],
      exports: [Outbox, OutboxRelay],
    };
  }
}
