import { z } from 'zod';
import { defineEmail } from './email-template.js';
import { formatLocalTime, formatMoney, shortOrderId } from './format.js';
import { html } from './html.js';

export const orderRefundedContent = z.object({
  orderId: z.uuid(),
  paymentId: z.uuid(),
  amount: z.object({ amountMinor: z.int(), currency: z.string() }),
  refundedAt: z.iso.datetime(),
});
export type OrderRefundedContent = z.infer<typeof orderRefundedContent>;

/** The cancelled order's payment is given back: transactional, never held. */
export const orderRefundedEmail = defineEmail({
  content: orderRefundedContent,
  transactional: true,
  render(refund, { timeZone }) {
    const amount = formatMoney(refund.amount);
    const when = formatLocalTime(refund.refundedAt, timeZone);
    return {
      orderId: refund.orderId,
      subject: `Your refund for order ${shortOrderId(refund.orderId)}`,
      lines: [`We refunded ${amount} on ${when}.`, `Payment: ${refund.paymentId}`],
      body: html`<p>We refunded <strong>${amount}</strong> on ${when}.</p>
<p>Payment: ${refund.paymentId}</p>`,
    };
  },
});
