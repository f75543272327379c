import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTransactional, renderNotification } from './email-kinds.js';
import { formatMoney } from './format.js';
import { escapeHtml, html } from './html.js';

const orderId = '0190f5c4-8a6b-7c3d-9e2f-1a2b3c4d5e6f';
const paymentId = '0190f5c4-8a6b-7c3d-9e2f-7a8b9c0d1e2f';

describe('e-mail templates', () => {
  it('escape every value taken from an event in the HTML body, and keep it as written in the text body', () => {
    const reason = `<script>alert("x")</script> & 'more'`;
    const email = renderNotification('order-rejected', { orderId, reason, rejectedAt: '2026-11-28T18:45:02.000Z' }, { timeZone: 'UTC' });
    assert.ok(!email.html.includes('<script>'), email.html);
    assert.ok(email.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;'));
    assert.ok(email.text.includes(`Reason: ${reason}`));
    assert.equal(email.subject, 'Your order 0190f5c4 could not be completed');
  });

  it("show instants on the customer's wall clock, naming the zone", () => {
    const placed = {
      orderId,
      placedAt: '2026-03-09T03:30:00.000Z',
      lines: [{ sku: 'tea', quantity: 3, unitPriceMinor: 500 }],
      total: { amountMinor: 1_500, currency: 'JPY' },
    };
    const email = renderNotification('order-placed', placed, { timeZone: 'America/New_York' });
    assert.ok(email.text.includes('placed on 8 Mar 2026, 23:30 (America/New_York)'), email.text);
    assert.ok(email.text.includes('3 × tea at ¥500'), email.text);
    assert.ok(email.html.includes('<strong>Total: ¥1,500</strong>'), email.html);
  });

  it('write amounts with the currency’s own minor digits', () => {
    assert.equal(formatMoney({ amountMinor: 2_450, currency: 'EUR' }), '€24.50');
    assert.equal(formatMoney({ amountMinor: 1_500, currency: 'JPY' }), '¥1,500');
    assert.equal(formatMoney({ amountMinor: 1_250, currency: 'BHD' }), 'BHD\u00a01.250', 'ICU puts a no-break space after a currency code');
  });

  it('render every kind with a subject naming the order', () => {
    const context = { timeZone: 'Europe/London' };
    const amount = { amountMinor: 2_450, currency: 'EUR' };
    const subjects = [
      renderNotification('order-cancelled', { orderId, reason: 'changed my mind', cancelledAt: '2026-11-28T19:00:00.000Z' }, context),
      renderNotification('order-refunded', { orderId, paymentId, amount, refundedAt: '2026-11-28T19:05:00.000Z' }, context),
      renderNotification('payment-receipt', { orderId, paymentId, amount, capturedAt: '2026-11-28T19:05:00.000Z' }, context),
    ].map((email) => email.subject);
    assert.deepEqual(subjects, ['Your order 0190f5c4 is cancelled', 'Your refund for order 0190f5c4', 'Receipt for order 0190f5c4']);
  });

  it('refuse stored content that does not fit its kind', () => {
    assert.throws(() => renderNotification('order-refunded', { orderId }, { timeZone: 'UTC' }));
  });

  it('hold only the acknowledgement of a placed order in quiet hours', () => {
    assert.deepEqual(
      (['order-placed', 'order-rejected', 'order-cancelled', 'order-refunded', 'payment-receipt'] as const).filter((k) => !isTransactional(k)),
      ['order-placed'],
    );
  });

  it('escape nested fragments once', () => {
    assert.equal(html`<ul>${['a<b', 'c'].map((x) => html`<li>${x}</li>`)}</ul>`.markup, '<ul><li>a&lt;b</li><li>c</li></ul>');
    assert.equal(escapeHtml(`"'&<>`), '&quot;&#39;&amp;&lt;&gt;');
  });
});
