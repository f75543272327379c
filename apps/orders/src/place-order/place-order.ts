import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { IdempotentRequests, type IdempotentOutcome } from '@faultline/shared/idempotency';
import type { Origin } from '@faultline/shared/service-defaults';
import { orderDecider } from '../order/order-decider.js';
import { answeringConflictsWith409, etagOf, rejectionProblem } from '../order/order-problems.js';
import { OrderStream } from '../order/order-stream.js';
import type { PlaceOrderRequest, PlaceOrderResponse } from './place-order.schema.js';

/**
 * Places an order, once per Idempotency-Key: in ONE transaction the key is claimed, the decider's
 * `orders.order.placed` is appended to the new stream and to the outbox, and the response is stored
 * (articles 1 and 6). A retry with the same key and body gets the same order back.
 */
@Injectable()
export class PlaceOrder {
  constructor(
    private readonly idempotentRequests: IdempotentRequests,
    private readonly orders: OrderStream,
  ) {}

  execute(request: PlaceOrderRequest, idempotencyKey: string | undefined, origin: Origin): Promise<IdempotentOutcome> {
    return answeringConflictsWith409(() =>
      this.idempotentRequests.execute({ scope: 'place-order', key: idempotencyKey, body: request }, async (transaction, receivedAt) => {
        const orderId = randomUUID();
        const decision = orderDecider.decide(
          {
            kind: 'place-order',
            orderId,
            customerId: request.customerId,
            currency: request.currency,
            lines: request.items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceMinor: unitPriceCents })),
            at: receivedAt,
          },
          orderDecider.initialState,
        );
        if (!decision.accepted) throw rejectionProblem(decision.rejection);
        const { version, token } = await this.orders.commit(
          transaction,
          { orderId, version: 0, state: orderDecider.initialState },
          decision.events,
          origin,
        );
        const body: PlaceOrderResponse = { orderId, status: 'placed', version };
        return { body, headers: { location: `/orders/${orderId}`, etag: etagOf(version), [CONSISTENCY_TOKEN_HEADER]: token.toString() } };
      }),
    );
  }
}
