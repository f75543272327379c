import type { EntityManager } from 'typeorm';
import { orderCancelled, orderConfirmed, orderPaid, orderPlaced, orderRefunded, orderRejected, upcastPayload } from '@faultline/shared/contracts';

/** One row of the `events` table as the projector reads it. */
export interface ProjectedEvent {
  position: string;
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  payload: unknown;
  occurredAt: Date;
}

/** A read model fed from the event stream, with its own checkpoint in `projection_checkpoints`. */
export interface OrderProjection {
  readonly name: string;
  /** Applies one event inside the projector's transaction, which also moves the checkpoint. */
  apply(transaction: EntityManager, event: ProjectedEvent): Promise<void>;
}

/** The event at the newest schema version, for `orderPlaced.matches` / `orderCancelled.matches`. */
const upcast = (event: ProjectedEvent) => ({ type: event.type, payload: upcastPayload(event.type, event.schemaVersion, event.payload).payload });

/** The status an event of the fulfilment saga or the refund (article 6) moves an order to, if it is one. */
function fulfilmentStatus(decoded: { type: string; payload: unknown }): { orderId: string; status: string } | undefined {
  if (orderConfirmed.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'confirmed' };
  if (orderPaid.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'paid' };
  if (orderRejected.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'rejected' };
  if (orderRefunded.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'refunded' };
  return undefined;
}

/** `order_details`: one row per order, everything GET /orders/:id shows. */
export const orderDetailsProjection: OrderProjection = {
  name: 'order_details',
  async apply(transaction, event) {
    const decoded = upcast(event);
    if (orderPlaced.matches(decoded)) {
      const { orderId, customerId, total, placedAt } = decoded.payload;
      // The checkpoint moves in the same transaction, so an event is applied once; ON CONFLICT and
      // the version guards only make a rebuilt checkpoint (reset to 0 to replay) harmless.
      await transaction.query(
        `INSERT INTO order_details (order_id, customer_id, status, total_cents, currency, version, placed_at)
         VALUES ($1, $2, 'placed', $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING`,
        [orderId, customerId, total.amountMinor, total.currency, event.version, placedAt],
      );
    } else if (orderCancelled.matches(decoded)) {
      const { orderId, reason, cancelledAt } = decoded.payload;
      // A paid order's cancellation leaves its payment to refund: the old status says whether it was paid.
      await transaction.query(
        `UPDATE order_details SET status = 'cancelled', version = $2, cancellation_reason = $3, cancelled_at = $4,
                refund_status = CASE WHEN status = 'paid' THEN 'pending' END
          WHERE order_id = $1 AND version < $2`,
        [orderId, event.version, reason, cancelledAt],
      );
    } else if (orderRefunded.matches(decoded)) {
      const { orderId, refundedAt } = decoded.payload;
      await transaction.query(
        `UPDATE order_details SET status = 'refunded', version = $2, refund_status = 'refunded', refunded_at = $3
          WHERE order_id = $1 AND version < $2`,
        [orderId, event.version, refundedAt],
      );
    } else {
      const moved = fulfilmentStatus(decoded);
      if (moved === undefined) return;
      await transaction.query(`UPDATE order_details SET status = $3, version = $2 WHERE order_id = $1 AND version < $2`, [
        moved.orderId,
        event.version,
        moved.status,
      ]);
    }
  },
};

/** `customer_orders`: a customer's orders, for GET /customers/:customerId/orders. */
export const customerOrdersProjection: OrderProjection = {
  name: 'customer_orders',
  async apply(transaction, event) {
    const decoded = upcast(event);
    if (orderPlaced.matches(decoded)) {
      const { orderId, customerId, total, placedAt } = decoded.payload;
      await transaction.query(
        `INSERT INTO customer_orders (customer_id, order_id, status, total_cents, currency, version, placed_at)
         VALUES ($1, $2, 'placed', $3, $4, $5, $6) ON CONFLICT (customer_id, order_id) DO NOTHING`,
        [customerId, orderId, total.amountMinor, total.currency, event.version, placedAt],
      );
    } else if (orderCancelled.matches(decoded)) {
      await transaction.query(`UPDATE customer_orders SET status = 'cancelled', version = $2 WHERE order_id = $1 AND version < $2`, [
        decoded.payload.orderId,
        event.version,
      ]);
    } else {
      const moved = fulfilmentStatus(decoded);
      if (moved === undefined) return;
      await transaction.query(`UPDATE customer_orders SET status = $3, version = $2 WHERE order_id = $1 AND version < $2`, [
        moved.orderId,
        event.version,
        moved.status,
      ]);
    }
  },
};

export const orderProjections: readonly OrderProjection[] = [orderDetailsProjection, customerOrdersProjection];
