import type { EmailKind } from '../entities/index.js';
import { renderEmail, type EmailContext, type EmailTemplate, type RenderedEmail } from './email-template.js';
import { orderCancelledEmail } from './order-cancelled.email.js';
import { orderPlacedEmail } from './order-placed.email.js';
import { orderRefundedEmail } from './order-refunded.email.js';
import { orderRejectedEmail } from './order-rejected.email.js';
import { paymentReceiptEmail } from './payment-receipt.email.js';

/** Every kind of e-mail and its template: the one place that says which kinds are transactional. */
export const EMAIL_TEMPLATES: { [K in EmailKind]: EmailTemplate<never> } = {
  'order-placed': orderPlacedEmail as EmailTemplate<never>,
  'order-rejected': orderRejectedEmail as EmailTemplate<never>,
  'order-cancelled': orderCancelledEmail as EmailTemplate<never>,
  'order-refunded': orderRefundedEmail as EmailTemplate<never>,
  'payment-receipt': paymentReceiptEmail as EmailTemplate<never>,
};

/** Transactional mail goes at once; the rest waits until the customer's quiet hours end. */
export function isTransactional(kind: EmailKind): boolean {
  return EMAIL_TEMPLATES[kind].transactional;
}

/** Renders a stored notification's content; throws (a ZodError) when the content does not fit its kind. */
export function renderNotification(kind: EmailKind, content: unknown, context: EmailContext): RenderedEmail {
  return renderEmail(EMAIL_TEMPLATES[kind], content, context);
}
