import { z } from 'zod';
import { defineEmail } from './email-template.js';
import { formatLocalTime, formatMoney, shortOrderId } from './format.js';
import { html } from './html.js';

export const orderPlacedContent = z.object({
  orderId: z.uuid(),
  placedAt: z.iso.datetime(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int(), unitPriceMinor: z.int() })),
  total: z.object({ amountMinor: z.int(), currency: z.string() }),
});
export type OrderPlacedContent = z.infer<typeof orderPlacedContent>;

/**
 * "We have your order": an acknowledgement of what the customer has just done on screen. It
 * decides nothing (the receipt or the rejection does), so it waits out their quiet hours.
 */
export const orderPlacedEmail = defineEmail({
  content: orderPlacedContent,
  transactional: false,
  render(order, { timeZone }) {
    const total = formatMoney(order.total);
    const lineText = order.lines.map((l) => `${l.quantity} × ${l.sku} at ${formatMoney({ amountMinor: l.unitPriceMinor, currency: order.total.currency })}`);
    const placed = formatLocalTime(order.placedAt, timeZone);
    return {
      orderId: order.orderId,
      subject: `We have your order ${shortOrderId(order.orderId)}`,
      lines: ['We have your order, placed on ' + placed + ':', '', ...lineText.map((l) => `  ${l}`), '', `Total: ${total}`],
      body: html`<p>We have your order, placed on ${placed}:</p>
<ul>${lineText.map((l) => html`<li>${l}</li>`)}</ul>
<p><strong>Total: ${total}</strong></p>`,
    };
  },
});
