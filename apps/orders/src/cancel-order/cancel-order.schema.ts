import { z } from 'zod';

export const cancelOrderRequest = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'CancelOrderRequest' });
export type CancelOrderRequest = z.infer<typeof cancelOrderRequest>;

export const cancelOrderResponse = z
  .object({
    orderId: z.uuid(),
    status: z.literal('cancelled'),
    /** The consistency token: a later read can ask for at least this version. */
    version: z.int(),
  })
  .meta({ id: 'CancelOrderResponse' });
export type CancelOrderResponse = z.infer<typeof cancelOrderResponse>;
