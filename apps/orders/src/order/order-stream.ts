import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ORDER_AGGREGATE, ORDER_EVENTS_TOPIC, encodeEvent } from '@faultline/shared/contracts';
import { ConcurrencyConflictError, EventStore, isUniqueViolationOf, type Aggregate, type StoredEvent } from '@faultline/shared/event-store';
import { ConsistencyToken } from '@faultline/shared/consistency';
import { Outbox } from '@faultline/shared/outbox';
import type { Origin } from '@faultline/shared/service-defaults';
import { Order } from '../entities/index.js';
import type { OrderEvent, OrderState } from './order.js';
import { orderDecider } from './order-decider.js';

/** The orders migration's `UNIQUE (aggregate_type, aggregate_id, sequence)` on the outbox. */
const OUTBOX_SEQUENCE_CONSTRAINT = 'outbox_aggregate_type_aggregate_id_sequence_key';

/** An order as loaded for a command: its state, its version, and its id. */
export interface LoadedOrder extends Aggregate<OrderState> {
  orderId: string;
}

/** An order after a commit; `token` names the global position of its last event (article 5). */
export interface CommittedOrder extends Aggregate<OrderState> {
  token: ConsistencyToken;
}

/**
 * Loads orders from their event streams and commits what the decider decided. A commit writes, in
 * the caller's transaction: one outbox row per event (sequence = the stream version it becomes), the
 * events themselves, and the `orders` state row — so the stream, what gets published and the row
 * `SELECT`ed by people and by the demo can never disagree (articles 4 and 6).
 */
@Injectable()
export class OrderStream {
  constructor(
    private readonly eventStore: EventStore,
    private readonly outbox: Outbox,
  ) {}

  async load(manager: EntityManager, orderId: string): Promise<LoadedOrder> {
    return { orderId, ...(await this.eventStore.aggregate(manager, orderDecider, orderId)) };
  }

  async commit(
    transaction: EntityManager,
    order: LoadedOrder,
    events: readonly OrderEvent[],
    origin: Origin,
  ): Promise<CommittedOrder> {
    let stored: StoredEvent[];
    try {
      // Outbox.append mints the eventId and occurredAt, so it runs first and the event store keeps
      // the very envelope that is published. A concurrent writer of the same version therefore
      // loses on the outbox's (aggregate, sequence) constraint before it reaches the events table's
      // (stream, version) one: both carry the same invariant, and both mean "re-read and retry".
      const envelopes = [];
      for (const [index, event] of events.entries()) {
        envelopes.push(
          await this.outbox.append(transaction, {
            topic: ORDER_EVENTS_TOPIC,
            ...encodeEvent(event),
            aggregateType: ORDER_AGGREGATE,
            aggregateId: order.orderId,
            sequence: order.version + index + 1,
            correlationId: origin.correlationId,
            causationId: origin.requestId,
          }),
        );
      }
      stored = await this.eventStore.append(
        transaction,
        { type: ORDER_AGGREGATE, id: order.orderId },
        order.version,
        envelopes.map(({ eventId, type, schemaVersion, payload, occurredAt, correlationId, causationId, traceparent, tracestate, producer }) => ({
          eventId,
          type,
          schemaVersion,
          payload,
          metadata: { correlationId, causationId, traceparent, tracestate, producer },
          occurredAt: new Date(occurredAt),
        })),
      );
    } catch (error) {
      if (isUniqueViolationOf(error, OUTBOX_SEQUENCE_CONSTRAINT)) throw new ConcurrencyConflictError(order.orderId, order.version);
      throw error;
    }
    const committed = { state: events.reduce(orderDecider.evolve, order.state), version: order.version + events.length };
    await this.saveStateRow(transaction, committed);
    const last = stored.at(-1);
    if (last === undefined) throw new Error(`committing order ${order.orderId} appended no event`);
    return { ...committed, token: ConsistencyToken.at(last.position) };
  }

  private async saveStateRow(transaction: EntityManager, { state, version }: Aggregate<OrderState>): Promise<void> {
    if (state.status === 'none') return;
    await transaction.upsert(
      Order,
      {
        id: state.orderId,
        customerId: state.customerId,
        status: state.status,
        totalCents: state.total.amountMinor,
        currency: state.total.currency,
        version,
        placedAt: new Date(state.placedAt),
      },
      ['id'],
    );
  }
}
