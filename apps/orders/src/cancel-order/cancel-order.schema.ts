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
    refund: z
      .literal('pending')
      .optional()
      .describe(
        'Only when the order was already paid: its payment is refunded in full in the background, and GET /orders/{id} shows refund.status refunded (status refunded) once the payment provider gave it back',
      ),
  })
  .meta({ id: 'CancelOrderResponse' });
export type CancelOrderResponse = z.infer<typeof cancelOrderResponse>;
