import { z } from 'zod';
import type { OrderState } from '../order/order.js';

export const orderView = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    status: z.enum(['placed', 'confirmed', 'paid', 'rejected', 'cancelled', 'refunded']),
    totalCents: z.int(),
    currency: z.string(),
    version: z.int(),
    placedAt: z.iso.datetime(),
    cancellation: z.object({ reason: z.string(), cancelledAt: z.iso.datetime() }).optional(),
    /** Only for a paid order that was cancelled: `pending` until the provider gave the payment back. */
    refund: z
      .object({ status: z.enum(['pending', 'refunded']), refundedAt: z.iso.datetime().optional() })
      .optional()
      .describe('The refund of a cancelled paid order: pending until the payment provider gave the money back, then refunded'),
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
  refund_status: 'pending' | 'refunded' | null;
  refunded_at: Date | null;
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
    ...(row.refund_status !== null
      ? { refund: { status: row.refund_status, ...(row.refunded_at !== null && { refundedAt: row.refunded_at.toISOString() }) } }
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
    ...(state.status === 'cancelled' || state.status === 'refunded' ? { cancellation: state.cancellation } : {}),
    ...refundOf(state),
  };
}

function refundOf(state: Exclude<OrderState, { status: 'none' }>): Pick<OrderView, 'refund'> {
  if (state.status === 'refunded') return { refund: { status: 'refunded', refundedAt: state.refund.refundedAt } };
  if (state.status === 'cancelled' && state.refundDue !== undefined) return { refund: { status: 'pending' } };
  return {};
}
