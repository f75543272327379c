import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import type { Origin } from '@faultline/shared/service-defaults';
import { orderDecider } from '../order/order-decider.js';
import { OrderStream } from '../order/order-stream.js';
import type { OrderCommand, OrderRejection } from '../order/order.js';

type SagaCommand = Extract<OrderCommand, { kind: 'confirm-order' | 'reject-order' | 'mark-order-paid' | 'record-refund' }>;
type WithoutTime<Command> = Command extends unknown ? Omit<Command, 'at'> : never;

/**
 * The order's side of the fulfilment saga and of the refund: confirm, reject, mark paid, record the
 * refund — decided by the order decider and committed like POST /orders does, events and outbox rows
 * in one transaction (article 6). A
 * step already taken is accepted with nothing written, so an activity retried after its commit is
 * harmless; a lost optimistic-concurrency race throws ConcurrencyConflictError, and the activity's
 * retry re-reads the order.
 */
@Injectable()
export class OrderFulfilmentSteps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderStream,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Resolves with the decider's refusal, if it refused; with undefined once the step is recorded. */
  apply(command: WithoutTime<SagaCommand>, origin: Origin): Promise<OrderRejection | undefined> {
    return this.dataSource.transaction(async (transaction) => {
      const order = await this.orders.load(transaction, command.orderId);
      const decision = orderDecider.decide({ ...command, at: this.clock.now() } as SagaCommand, order.state);
      if (!decision.accepted) return decision.rejection;
      if (decision.events.length > 0) await this.orders.commit(transaction, order, decision.events, origin);
      return undefined;
    });
  }
}
