import { z } from 'zod';
import { defineEmail } from './email-template.js';
import { formatLocalTime, shortOrderId } from './format.js';
import { html } from './html.js';

export const orderRejectedContent = z.object({ orderId: z.uuid(), reason: z.string(), rejectedAt: z.iso.datetime() });
export type OrderRejectedContent = z.infer<typeof orderRejectedContent>;

/** The order could not be completed, and why: transactional, never held. */
export const orderRejectedEmail = defineEmail({
  content: orderRejectedContent,
  transactional: true,
  render(order, { timeZone }) {
    const when = formatLocalTime(order.rejectedAt, timeZone);
    return {
      orderId: order.orderId,
      subject: `Your order ${shortOrderId(order.orderId)} could not be completed`,
      lines: [`We could not complete your order (${when}).`, `Reason: ${order.reason}`, '', 'You have not been charged for it.'],
      body: html`<p>We could not complete your order (${when}).</p>
<p>Reason: ${order.reason}</p>
<p>You have not been charged for it.</p>`,
    };
  },
});
