import { Injectable } from '@nestjs/common';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { IdempotentRequests, type IdempotentOutcome } from '@faultline/shared/idempotency';
import type { Origin } from '@faultline/shared/service-defaults';
import { orderDecider } from '../order/order-decider.js';
import { answeringConflictsWith409, etagOf, rejectionProblem, versionMismatchProblem } from '../order/order-problems.js';
import { OrderStream } from '../order/order-stream.js';
import type { CancelOrderRequest, CancelOrderResponse } from './cancel-order.schema.js';

/**
 * Cancels an order, once per Idempotency-Key: the stream is read, the decider decides, and the
 * `orders.order.cancelled` event is appended at the version that was read — if another command
 * appended in between, the append fails and the client gets 409 instead of a decision taken on a
 * stale order. A client that read the order first can send its ETag as `If-Match` to cancel only
 * that version (412 otherwise). A retry with the same key gets the stored 200, not "already cancelled".
 * A paid order is cancelled too, and answered with `refund: 'pending'`: its payment is given back
 * by the OrderRefund workflow, which the cancellation, once published, starts (article 6).
 */
@Injectable()
export class CancelOrder {
  constructor(
    private readonly idempotentRequests: IdempotentRequests,
    private readonly orders: OrderStream,
  ) {}

  execute(
    orderId: string,
    request: CancelOrderRequest,
    preconditions: { idempotencyKey: string | undefined; ifMatch: string | undefined },
    origin: Origin,
  ): Promise<IdempotentOutcome> {
    const { idempotencyKey, ifMatch } = preconditions;
    const scope = `cancel-order:${orderId}`;
    return answeringConflictsWith409(() =>
      this.idempotentRequests.execute({ scope, key: idempotencyKey, body: request }, async (transaction, receivedAt) => {
        const order = await this.orders.load(transaction, orderId);
        if (ifMatch !== undefined && order.state.status !== 'none' && ifMatch !== etagOf(order.version)) {
          throw versionMismatchProblem(orderId, ifMatch, order.version);
        }
        const decision = orderDecider.decide({ kind: 'cancel-order', orderId, reason: request.reason, at: receivedAt }, order.state);
        if (!decision.accepted) throw rejectionProblem(decision.rejection);
        const { state, version, token } = await this.orders.commit(transaction, order, decision.events, origin);
        // A paid order's refund runs after this commit, started from the published cancellation (article 6).
        const refundDue = state.status === 'cancelled' && state.refundDue !== undefined;
        const body: CancelOrderResponse = { orderId, status: 'cancelled', version, ...(refundDue && { refund: 'pending' as const }) };
        return { body, headers: { etag: etagOf(version), [CONSISTENCY_TOKEN_HEADER]: token.toString() } };
      }),
    );
  }
}
