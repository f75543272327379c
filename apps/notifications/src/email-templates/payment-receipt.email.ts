import { z } from 'zod';
import { defineEmail } from './email-template.js';
import { formatLocalTime, formatMoney, shortOrderId } from './format.js';
import { html } from './html.js';

export const paymentReceiptContent = z.object({
  orderId: z.uuid(),
  paymentId: z.uuid(),
  amount: z.object({ amountMinor: z.int(), currency: z.string() }),
  capturedAt: z.iso.datetime(),
});
export type PaymentReceiptContent = z.infer<typeof paymentReceiptContent>;

/** The customer was charged: a receipt is transactional, never held. */
export const paymentReceiptEmail = defineEmail({
  content: paymentReceiptContent,
  transactional: true,
  render(payment, { timeZone }) {
    const amount = formatMoney(payment.amount);
    const when = formatLocalTime(payment.capturedAt, timeZone);
    return {
      orderId: payment.orderId,
      subject: `Receipt for order ${shortOrderId(payment.orderId)}`,
      lines: [`We charged ${amount} for your order on ${when}.`, `Payment: ${payment.paymentId}`],
      body: html`<p>We charged <strong>${amount}</strong> for your order on ${when}.</p>
<p>Payment: ${payment.paymentId}</p>`,
    };
  },
});
