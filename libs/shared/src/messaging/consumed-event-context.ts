import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { SourceRecord } from './source-record.js';

/**
 * What an `@EventPattern` handler gets as `@Ctx()`: the EntityManager of the transaction that also
 * records the event in the inbox and moves the ordering checkpoint. A handler writes only through
 * it, so its effects commit together with "this event was applied", or not at all.
 */
export class ConsumedEventContext extends BaseRpcContext<[EntityManager, SourceRecord]> {
  get transaction(): EntityManager {
    return this.args[0];
  }

  get source(): SourceRecord {
    return this.args[1];
  }
}
