// What MailDev received for the demo's order: the e-mails notifications sent over SMTP.
import { env } from '../local-services.mjs';

/**
 * MailDev's REST API: `/api/email` in MailDev 3 (what runs natively), `/email` in the 2.x image the
 * compose file runs.
 */
export const mailbox = {
  web: `http://127.0.0.1:${env.MAILDEV_WEB_PORT}`,
  async all() {
    for (const path of ['/api/email', '/email']) {
      const response = await fetch(`${this.web}${path}`);
      if (response.ok) return response.json();
    }
    throw new Error(`MailDev at ${this.web} answers neither /api/email nor /email`);
  },
};

/** Waits until MailDev holds, for the order, an e-mail to `address` whose subject has each of `subjects`. */
export async function emailsFor(orderId, address, subjects, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const emails = (await mailbox.all()).filter(
      (email) => email.subject.includes(orderId.slice(0, 8)) && email.to.some((to) => to.address === address),
    );
    const missing = subjects.filter((subject) => !emails.some((email) => email.subject.includes(subject)));
    if (!missing.length) return emails.filter((email) => subjects.some((subject) => email.subject.includes(subject)));
    if (Date.now() > deadline) throw new Error(`MailDev did not receive "${missing.join('", "')}" for order ${orderId} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Prints each e-mail: subject, recipients and the Message-ID notifications derives from the event. */
export function showEmails(emails) {
  for (const email of emails) {
    const messageId = email.messageId ?? email.headers?.['message-id'];
    console.log(`  ✉ "${email.subject}" to ${email.to.map((to) => to.address).join(', ')}, Message-ID ${messageId}`);
  }
}
