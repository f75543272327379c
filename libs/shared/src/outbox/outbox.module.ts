import { Module, type DynamicModule } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.js';
import { OUTBOX_OPTIONS, type OutboxOptions } from './outbox-options.js';
import { Outbox } from './outbox.js';

/**
 * The transactional outbox: `Outbox` to append events inside a transaction, `OutboxRelay` to
 * publish them, started and stopped with the application. The app lists `OutboxMessage` among its
 * entities and creates the `outbox` table in one of its migrations.
 */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [{ provide: OUTBOX_OPTIONS, useValue: options }, Outbox, OutboxRelay],
      exports: [Outbox, OutboxRelay],
    };
  }
}
