import { z } from 'zod';
import type { OrderState } from '../order/order.js';

export const orderView = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    status: z.enum(['placed', 'confirmed', 'paid', 'rejected', 'cancelled']),
    totalCents: z.int(),
    currency: z.string(),
    version: z.int(),
    placedAt: z.iso.datetime(),
    cancellation: z.object({ reason: z.string(), cancelledAt: z.iso.datetime() }).optional(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderView>;

/** A row of the `order_details` projection. */
export interface OrderDetailsRow {
  order_id: string;
  customer_id: string;
  status: OrderView['status'];
  total_cents: string;
  currency: string;
  version: number;
  placed_at: Date;
  cancellation_reason: string | null;
  cancelled_at: Date | null;
}

export function viewOfProjection(row: OrderDetailsRow): OrderView {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    version: row.version,
    placedAt: row.placed_at.toISOString(),
    ...(row.cancellation_reason !== null && row.cancelled_at !== null
      ? { cancellation: { reason: row.cancellation_reason, cancelledAt: row.cancelled_at.toISOString() } }
      : {}),
  };
}

export function viewOfStream(state: Exclude<OrderState, { status: 'none' }>, version: number): OrderView {
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    totalCents: state.total.amountMinor,
    currency: state.total.currency,
    version,
    placedAt: state.placedAt,
    ...(state.status === 'cancelled' ? { cancellation: state.cancellation } : {}),
  };
}
