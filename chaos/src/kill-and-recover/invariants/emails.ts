import { ORDER_CANCELLED, ORDER_PLACED, ORDER_REFUNDED, ORDER_REJECTED } from '@faultline/shared/contracts';
import type { InvariantCheck } from '../../chaos-report.js';
import { chaosEmailAddressOf, type ReceivedEmail } from '../mailbox.js';
import type { AcceptedOrder } from '../order-load.js';
import type { SystemLedgers } from '../system-ledgers.js';
import { EXAMPLES } from './invariant-examples.js';

/** The kinds of e-mail notifications sends, and the order event each one is about (a receipt is about billing's capture). */
const EMAIL_KIND_OF_EVENT = new Map([
  [ORDER_PLACED, 'order-placed'],
  [ORDER_REJECTED, 'order-rejected'],
  [ORDER_CANCELLED, 'order-cancelled'],
  [ORDER_REFUNDED, 'order-refunded'],
]);
const PAYMENT_RECEIPT = 'payment-receipt';

/** Each kind's subject, naming the order by the first 8 characters of its id (notifications' email-templates). */
const SUBJECTS: [RegExp, string][] = [
  [/^We have your order (\S+)/, 'order-placed'],
  [/^Receipt for order (\S+)/, PAYMENT_RECEIPT],
  [/^Your order (\S+) is cancelled/, 'order-cancelled'],
  [/^Your order (\S+) could not be completed/, 'order-rejected'],
  [/^Your refund for order (\S+)/, 'order-refunded'],
];

/** The event id in notifications' Message-ID `<eventId@notifications.faultline>`; undefined for any other. */
export function eventIdOfMessageId(messageId: string | undefined): string | undefined {
  return /^<?([^@<>\s]+)@notifications\.faultline>?$/.exec(messageId?.trim() ?? '')?.[1];
}

/** One e-mail the run's events call for: one per event, with that event's Message-ID. */
interface ExpectedEmail {
  eventId: string;
  kind: string;
  orderId: string;
  address: string;
}

/**
 * (a) Every e-mail the events call for arrived, with the event's Message-ID, at the order's customer;
 * (b) none arrived twice except as a resend. A second message with the same Message-ID is the sender's
 * at-least-once (a crash between SMTP's acceptance and the commit) and is counted; two messages of one
 * kind for one order with different Message-IDs, or one no event of the run explains, is an e-mail
 * sent twice as two e-mails, and fails.
 */
export function judgeEmails(accepted: readonly AcceptedOrder[], ledgers: SystemLedgers): { arrived: InvariantCheck; once: InvariantCheck; counts: Record<string, number> } {
  const expected = new Map<string, ExpectedEmail>();
  for (const order of accepted) {
    const address = chaosEmailAddressOf(order.customerId);
    for (const event of ledgers.orders.get(order.orderId)?.stream ?? []) {
      const kind = EMAIL_KIND_OF_EVENT.get(event.type);
      if (kind !== undefined) expected.set(event.eventId, { eventId: event.eventId, kind, orderId: order.orderId, address });
    }
    for (const eventId of ledgers.receipts.get(order.orderId) ?? []) expected.set(eventId, { eventId, kind: PAYMENT_RECEIPT, orderId: order.orderId, address });
  }
  const byShortId = new Map(accepted.map((order) => [order.orderId.slice(0, 8), order.orderId]));
  const arrivedAt = new Map<string, ReceivedEmail[]>();
  const unexplained: string[] = [];
  const messageIdsOf = new Map<string, Set<string>>();
  for (const email of ledgers.emails) {
    const eventId = eventIdOfMessageId(email.messageId);
    const known = eventId === undefined ? undefined : expected.get(eventId);
    if (known && eventId !== undefined) arrivedAt.set(eventId, [...(arrivedAt.get(eventId) ?? []), email]);
    else unexplained.push(`"${email.subject}" (${email.messageId ?? 'no Message-ID'})`);
    // Kind and order from the event when the Message-ID names one, from the subject otherwise.
    const subject = SUBJECTS.map(([pattern, kind]) => ({ kind, shortId: pattern.exec(email.subject)?.[1] })).find(({ shortId }) => shortId !== undefined);
    const kind = known?.kind ?? subject?.kind;
    const orderId = known?.orderId ?? byShortId.get(subject?.shortId ?? '');
    if (kind !== undefined && orderId !== undefined) {
      const key = `${kind} of order ${orderId}`;
      messageIdsOf.set(key, (messageIdsOf.get(key) ?? new Set()).add(email.messageId ?? '(none)'));
    }
  }
  const missing = [...expected.values()].filter((email) => !arrivedAt.has(email.eventId)).map((email) => `${email.kind} of order ${email.orderId}`);
  const misaddressed = [...expected.values()]
    .filter((email) => (arrivedAt.get(email.eventId) ?? []).some((received) => !received.to.includes(email.address)))
    .map((email) => `${email.kind} of order ${email.orderId}`);
  const resends = [...arrivedAt.values()].reduce((sum, emails) => sum + emails.length - 1, 0);
  const doubled = [...messageIdsOf].filter(([, ids]) => ids.size > 1).map(([key, ids]) => `${key}: ${ids.size} Message-IDs`);
  const examples = (items: string[]) => (items.length > 0 ? ` (e.g. ${items.slice(0, EXAMPLES).join('; ')})` : '');
  const perKind = [...new Set([...EMAIL_KIND_OF_EVENT.values(), PAYMENT_RECEIPT])]
    .map((kind) => `${kind} ${[...expected.values()].filter((email) => email.kind === kind && arrivedAt.has(email.eventId)).length}/${[...expected.values()].filter((email) => email.kind === kind).length}`)
    .join(', ');
  return {
    arrived: {
      name: "every e-mail the run's events call for reached MailDev with the event's Message-ID, addressed to the order's customer (placed, receipt per capture, rejected, cancelled, refunded)",
      holds: missing.length === 0 && misaddressed.length === 0,
      detail:
        `${expected.size - missing.length} of ${expected.size} expected e-mails arrived (${perKind}); ${missing.length} missing${examples(missing)}, ` +
        `${misaddressed.length} to another address${examples(misaddressed)}; ${ledgers.emails.length} received for the run's addresses`,
    },
    once: {
      name: 'no e-mail was sent twice as two e-mails: a second copy carries the same Message-ID (a resend, counted), never a new one',
      holds: doubled.length === 0 && unexplained.length === 0,
      detail:
        `${resends} resends (same Message-ID, allowed); ${doubled.length} kinds of one order with more than one Message-ID${examples(doubled)}; ` +
        `${unexplained.length} e-mails no event of the run explains${examples(unexplained)}`,
    },
    counts: {
      'e-mails expected': expected.size,
      'e-mails received': ledgers.emails.length,
      'e-mails missing': missing.length,
      'e-mail resends': resends,
      'e-mails doubled': doubled.length,
      'e-mails unexplained': unexplained.length,
    },
  };
}
