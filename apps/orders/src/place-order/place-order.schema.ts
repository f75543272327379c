import { z } from 'zod';

/**
 * Bounds keep the total exact as a JS number: 50 lines × 10,000 units × 10^9 cents is 5×10^14,
 * well under 2^53.
 */
export const placeOrderRequest = z
  .object({
    customerId: z.uuid(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code: three uppercase letters'),
    items: z
      .array(
        z.object({
          sku: z.string().min(1).max(64),
          quantity: z.int().min(1).max(10_000),
          unitPriceCents: z.int().min(0).max(1_000_000_000),
        }),
      )
      .min(1)
      .max(50),
  })
  .meta({ id: 'PlaceOrderRequest' });
export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;

export const placeOrderResponse = z
  .object({
    orderId: z.uuid(),
    status: z.literal('placed'),
    /** The consistency token: a later read can ask for at least this version. */
    version: z.int(),
  })
  .meta({ id: 'PlaceOrderResponse' });
export type PlaceOrderResponse = z.infer<typeof placeOrderResponse>;
