import { z } from 'zod';

/** The orders service's order events: one topic per aggregate type, keyed by order id. */
export const ORDER_EVENTS_TOPIC = 'orders.order.events';
export const ORDER_AGGREGATE = 'order';

export const ORDER_PLACED = 'orders.order.placed';

/** `orders.order.placed`, schemaVersion 1. */
export const orderPlacedV1 = z.object({
  orderId: z.uuid(),
  customerId: z.uuid(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  items: z.array(z.object({ sku: z.string(), quantity: z.int().min(1), unitPriceCents: z.int().min(0) })).min(1),
  totalCents: z.int().min(0),
  placedAt: z.iso.datetime(),
});
export type OrderPlacedV1 = z.infer<typeof orderPlacedV1>;
