import { z } from 'zod';
import { EventContract, type EventPayload } from './event-contract.js';

/** The orders service's order events: one topic per aggregate type, keyed by order id. */
export const ORDER_EVENTS_TOPIC = 'orders.order.events';
export const ORDER_AGGREGATE = 'order';

export const ORDER_PLACED = 'orders.order.placed';
export const ORDER_CANCELLED = 'orders.order.cancelled';

const currencyCode = z.string().regex(/^[A-Z]{3}$/);
const exampleOrderId = '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f';
const exampleCustomerId = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';

/** `orders.order.placed`, schemaVersion 1. Published; never edit it — add a version instead. */
export const orderPlacedV1 = z.object({
  orderId: z.uuid(),
  customerId: z.uuid(),
  currency: currencyCode,
  items: z.array(z.object({ sku: z.string(), quantity: z.int().min(1), unitPriceCents: z.int().min(0) })).min(1),
  totalCents: z.int().min(0),
  placedAt: z.iso.datetime(),
});

/**
 * `orders.order.placed`, schemaVersion 2. "Cents" was wrong for currencies with zero or three minor
 * digits (JPY, BHD): v2 states amounts in minor units and keeps each amount beside its currency, and
 * the order's entries are `lines`.
 */
export const orderPlacedV2 = z.object({
  orderId: z.uuid(),
  customerId: z.uuid(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int().min(1), unitPriceMinor: z.int().min(0) })).min(1),
  total: z.object({ amountMinor: z.int().min(0), currency: currencyCode }),
  placedAt: z.iso.datetime(),
});

export const orderPlaced = EventContract.define(ORDER_PLACED, ORDER_AGGREGATE, {
  schema: orderPlacedV1,
  example: {
    orderId: exampleOrderId,
    customerId: exampleCustomerId,
    currency: 'EUR',
    items: [{ sku: 'book', quantity: 2, unitPriceCents: 1_250 }],
    totalCents: 2_500,
    placedAt: '2026-11-28T18:45:00.000Z',
  },
}).nextVersion({
  schema: orderPlacedV2,
  example: {
    orderId: exampleOrderId,
    customerId: exampleCustomerId,
    lines: [{ sku: 'tea', quantity: 3, unitPriceMinor: 500 }],
    total: { amountMinor: 1_500, currency: 'JPY' },
    placedAt: '2026-11-28T18:45:00.000Z',
  },
  upcast: (v1) => ({
    orderId: v1.orderId,
    customerId: v1.customerId,
    lines: v1.items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceMinor: unitPriceCents })),
    total: { amountMinor: v1.totalCents, currency: v1.currency },
    placedAt: v1.placedAt,
  }),
});
export type OrderPlaced = EventPayload<typeof orderPlaced>;

/** `orders.order.cancelled`, schemaVersion 1: the customer called the order off. */
export const orderCancelled = EventContract.define(ORDER_CANCELLED, ORDER_AGGREGATE, {
  schema: z.object({ orderId: z.uuid(), reason: z.string().min(1).max(500), cancelledAt: z.iso.datetime() }),
  example: { orderId: exampleOrderId, reason: 'customer changed their mind', cancelledAt: '2026-11-28T19:00:00.000Z' },
});
export type OrderCancelled = EventPayload<typeof orderCancelled>;

// The order-fulfilment saga's events (article 6): the order moves placed → confirmed → paid, or
// placed → rejected when the payment could not be taken or the order could no longer be confirmed.
export const ORDER_CONFIRMED = 'orders.order.confirmed';
export const ORDER_REJECTED = 'orders.order.rejected';
export const ORDER_PAID = 'orders.order.paid';
const examplePaymentId = '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f';

/** `orders.order.confirmed`, schemaVersion 1: the payment is authorized and the order accepted. */
export const orderConfirmed = EventContract.define(ORDER_CONFIRMED, ORDER_AGGREGATE, {
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), confirmedAt: z.iso.datetime() }),
  example: { orderId: exampleOrderId, paymentId: examplePaymentId, confirmedAt: '2026-11-28T18:45:02.000Z' },
});
export type OrderConfirmed = EventPayload<typeof orderConfirmed>;

/** `orders.order.rejected`, schemaVersion 1: the saga gave the order up; `reason` says why. */
export const orderRejected = EventContract.define(ORDER_REJECTED, ORDER_AGGREGATE, {
  schema: z.object({ orderId: z.uuid(), reason: z.string().min(1).max(500), rejectedAt: z.iso.datetime() }),
  example: { orderId: exampleOrderId, reason: 'payment declined', rejectedAt: '2026-11-28T18:45:02.000Z' },
});
export type OrderRejected = EventPayload<typeof orderRejected>;

/** `orders.order.paid`, schemaVersion 1: the confirmed order's payment is captured. */
export const orderPaid = EventContract.define(ORDER_PAID, ORDER_AGGREGATE, {
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), paidAt: z.iso.datetime() }),
  example: { orderId: exampleOrderId, paymentId: examplePaymentId, paidAt: '2026-11-28T18:45:03.000Z' },
});
export type OrderPaid = EventPayload<typeof orderPaid>;

// A paid order that is cancelled is refunded: `orders.order.cancelled` records the customer's
// decision, `orders.order.refunded` that the provider gave the money back.
export const ORDER_REFUNDED = 'orders.order.refunded';

/** `orders.order.refunded`, schemaVersion 1: the cancelled order's captured payment is refunded in full. */
export const orderRefunded = EventContract.define(ORDER_REFUNDED, ORDER_AGGREGATE, {
  schema: z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    amount: z.object({ amountMinor: z.int().min(0), currency: currencyCode }),
    refundedAt: z.iso.datetime(),
  }),
  example: {
    orderId: exampleOrderId,
    paymentId: examplePaymentId,
    amount: { amountMinor: 2_450, currency: 'EUR' },
    refundedAt: '2026-11-28T19:05:00.000Z',
  },
});
export type OrderRefunded = EventPayload<typeof orderRefunded>;

/** Every event an order records, in the order an order's life meets them. */
export const orderEventContracts = [orderPlaced, orderConfirmed, orderRejected, orderPaid, orderCancelled, orderRefunded] as const;
