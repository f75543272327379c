import type { EntityManager } from 'typeorm';
import { orderCancelled, orderConfirmed, orderPaid, orderPlaced, orderRefunded, orderRejected, upcastPayload, type OrderPlaced } from '@faultline/shared/contracts';

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

/** The status an event moves an order to, for a read model that keeps nothing else of it. */
function statusChange(decoded: { type: string; payload: unknown }): { orderId: string; status: string } | undefined {
  if (orderConfirmed.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'confirmed' };
  if (orderPaid.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'paid' };
  if (orderRejected.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'rejected' };
  if (orderCancelled.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'cancelled' };
  if (orderRefunded.matches(decoded)) return { orderId: decoded.payload.orderId, status: 'refunded' };
  return undefined;
}

type ReadModelTable = 'order_details' | 'customer_orders';

/**
 * A placed order's row. The checkpoint moves in the same transaction, so an event is applied once;
 * ON CONFLICT and the version guards only make a rebuilt checkpoint (reset to 0 to replay) harmless.
 */
async function insertPlaced(transaction: EntityManager, table: ReadModelTable, key: string, version: number, placed: OrderPlaced): Promise<void> {
  const { orderId, customerId, total, placedAt } = placed;
  await transaction.query(
    `INSERT INTO ${table} (order_id, customer_id, status, total_cents, currency, version, placed_at)
     VALUES ($1, $2, 'placed', $3, $4, $5, $6) ON CONFLICT (${key}) DO NOTHING`,
    [orderId, customerId, total.amountMinor, total.currency, version, placedAt],
  );
}

/**
 * Updates an order's row unless it already holds this event or a later one: `assignments` follow
 * SET (the version is set with them) and name `values` as $3, $4…
 */
async function updateOrderRow(
  transaction: EntityManager,
  table: ReadModelTable,
  row: { orderId: string; version: number },
  assignments: string,
  values: readonly unknown[],
): Promise<void> {
  await transaction.query(`UPDATE ${table} SET ${assignments}, version = $2 WHERE order_id = $1 AND version < $2`, [row.orderId, row.version, ...values]);
}

/** Moves an order's row to the event's status, for an event the read model keeps nothing else of. */
async function moveStatus(transaction: EntityManager, table: ReadModelTable, version: number, decoded: { type: string; payload: unknown }): Promise<void> {
  const change = statusChange(decoded);
  if (change !== undefined) await updateOrderRow(transaction, table, { orderId: change.orderId, version }, 'status = $3', [change.status]);
}

/**
 * A read model with one row per order: inserted when the order is placed (`key` is the table's
 * conflict target), then moved by `applyLater` for every later event.
 */
function orderRowProjection(
  table: ReadModelTable,
  key: string,
  applyLater: (transaction: EntityManager, decoded: { type: string; payload: unknown }, version: number) => Promise<void>,
): OrderProjection {
  return {
    name: table,
    async apply(transaction, event) {
      const decoded = upcast(event);
      if (orderPlaced.matches(decoded)) await insertPlaced(transaction, table, key, event.version, decoded.payload);
      else await applyLater(transaction, decoded, event.version);
    },
  };
}

/** `order_details`: one row per order, everything GET /orders/:id shows. */
export const orderDetailsProjection = orderRowProjection('order_details', 'order_id', async (transaction, decoded, version) => {
  if (orderCancelled.matches(decoded)) {
    const { orderId, reason, cancelledAt } = decoded.payload;
    // A paid order's cancellation leaves its payment to refund: the old status says whether it was paid.
    const assignments = "status = 'cancelled', cancellation_reason = $3, cancelled_at = $4, refund_status = CASE WHEN status = 'paid' THEN 'pending' END";
    await updateOrderRow(transaction, 'order_details', { orderId, version }, assignments, [reason, cancelledAt]);
  } else if (orderRefunded.matches(decoded)) {
    const { orderId, refundedAt } = decoded.payload;
    const assignments = "status = 'refunded', refund_status = 'refunded', refunded_at = $3";
    await updateOrderRow(transaction, 'order_details', { orderId, version }, assignments, [refundedAt]);
  } else {
    await moveStatus(transaction, 'order_details', version, decoded);
  }
});

/** `customer_orders`: a customer's orders, for GET /customers/:customerId/orders. */
export const customerOrdersProjection = orderRowProjection('customer_orders', 'customer_id, order_id', (transaction, decoded, version) =>
  moveStatus(transaction, 'customer_orders', version, decoded),
);

export const orderProjections: readonly OrderProjection[] = [orderDetailsProjection, customerOrdersProjection];
