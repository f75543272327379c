import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CLOCK, type Clock } from '../clock/index.js';
import { eventEnvelopeSchema, type EventEnvelope } from '../contracts/index.js';
import { activeTraceContext } from '../messaging/index.js';
import { OUTBOX_OPTIONS, type ResolvedOutboxOptions } from './outbox-options.js';
import { OutboxTable } from './outbox-table.js';

/** An event as a use case states it; the outbox adds the id, the time, the trace and the producer. */
export interface NewEvent<Payload> {
  topic: string;
  type: string;
  schemaVersion: number;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  correlationId: string;
  causationId: string;
  payload: Payload;
}

/**
 * The writing half of the transactional outbox (articles 4 and 6). `append` must be called with
 * the EntityManager of the transaction that changes the state: the event is then stored if and only
 * if the change is, and the relay publishes it afterwards — never lost, as publishing to Kafka
 * inside or after the transaction could lose it. It also notifies the relay, on commit (see
 * OutboxTable.append).
 *
 * The envelope keeps the trace context active at `append` (the request's or the consumed event's
 * span): the relay publishes the event later, from its own loop, and parents its publish span on
 * this stored context, so the event's consumers join the trace of the work that wrote it.
 */
@Injectable()
export class Outbox {
  private readonly table: OutboxTable;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OUTBOX_OPTIONS) private readonly options: ResolvedOutboxOptions,
  ) {
    this.table = new OutboxTable(options.table);
  }

  async append<Payload>(transaction: EntityManager, event: NewEvent<Payload>): Promise<EventEnvelope<Payload>> {
    const now = this.clock.now();
    const { topic, ...fields } = event;
    // Parsing here rejects a malformed event while the transaction can still roll back.
    const envelope = eventEnvelopeSchema.parse({
      ...fields,
      // UUIDv7 (DESIGN §2): unique like any UUID, and time-ordered, so event ids sort by creation and
      // index well. Its time part comes from the injected clock, like every instant we produce.
      eventId: uuidv7({ msecs: now.getTime() }),
      occurredAt: now.toISOString(),
      producer: this.options.producer,
      ...activeTraceContext(),
    }) as EventEnvelope<Payload>;
    await this.table.append(transaction, {
      eventId: envelope.eventId,
      topic,
      aggregateType: envelope.aggregateType,
      aggregateId: envelope.aggregateId,
      sequence: envelope.sequence,
      eventType: envelope.type,
      envelope,
      createdAt: now,
    });
    return envelope;
  }
}
