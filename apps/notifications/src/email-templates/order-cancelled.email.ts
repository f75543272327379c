import { z } from 'zod';
import { defineEmail } from './email-template.js';
import { formatLocalTime, shortOrderId } from './format.js';
import { html } from './html.js';

export const orderCancelledContent = z.object({ orderId: z.uuid(), reason: z.string(), cancelledAt: z.iso.datetime() });
export type OrderCancelledContent = z.infer<typeof orderCancelledContent>;

/** The order is cancelled: transactional, never held (a refund, if any, follows in its own mail). */
export const orderCancelledEmail = defineEmail({
  content: orderCancelledContent,
  transactional: true,
  render(order, { timeZone }) {
    const when = formatLocalTime(order.cancelledAt, timeZone);
    return {
      orderId: order.orderId,
      subject: `Your order ${shortOrderId(order.orderId)} is cancelled`,
      lines: [`Your order was cancelled on ${when}.`, `Reason: ${order.reason}`],
      body: html`<p>Your order was cancelled on ${when}.</p>
<p>Reason: ${order.reason}</p>`,
    };
  },
});
