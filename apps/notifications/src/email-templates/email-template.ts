import type { z } from 'zod';
import { html, type SafeHtml } from './html.js';

/** An e-mail as the SMTP message carries it: a subject, a plain-text body and an HTML body. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What a template knows of the recipient when it renders: their zone, for local times. */
export interface EmailContext {
  timeZone: string;
}

/**
 * One kind of e-mail. `content` is what the handler stores from the event (jsonb) and is checked
 * again when the mail is rendered; `transactional` mail (a decision about the customer's order or
 * money) goes at once, the rest waits out the customer's quiet hours (article 9).
 */
export interface EmailTemplate<C> {
  content: z.ZodType<C>;
  transactional: boolean;
  render(content: C, context: EmailContext): { subject: string; lines: string[]; body: SafeHtml; orderId: string };
}

export function defineEmail<C>(template: EmailTemplate<C>): EmailTemplate<C> {
  return template;
}

/** Renders `content` (as stored) with the template and wraps both bodies in the common frame. */
export function renderEmail<C>(template: EmailTemplate<C>, content: unknown, context: EmailContext): RenderedEmail {
  const { subject, lines, body, orderId } = template.render(template.content.parse(content), context);
  const footer = `Faultline · order ${orderId}`;
  return {
    subject,
    text: [...lines, '', '-- ', footer, ''].join('\n'),
    html: html`<!doctype html>
<html><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family: sans-serif; line-height: 1.4">
${body}
<p style="color: #666; font-size: 0.9em">${footer}</p>
</body></html>
`.markup,
  };
}
