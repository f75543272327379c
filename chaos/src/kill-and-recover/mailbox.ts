import { readFaultlineEnvironment } from '@faultline/shared/config';

/** A customer's address in the run: `<customerId>@chaos.faultline`, so no other suite's mail lands in it. */
export function chaosEmailAddressOf(customerId: string): string {
  return `${customerId.toLowerCase()}@chaos.faultline`;
}

/** One message MailDev received for an address of the run: what the e-mail invariants look at. */
export interface ReceivedEmail {
  subject: string;
  /** The recipients' addresses. */
  to: string[];
  /** The Message-ID header as sent, angle brackets included; undefined when the message had none. */
  messageId: string | undefined;
}

/** A message as MailDev 3's REST API lists it (`GET /api/email`): the fields read here. */
interface MailDevMessage {
  subject?: string;
  to?: { address?: string }[];
  messageId?: string;
  headers?: Record<string, unknown>;
}

/** One read of every message MailDev holds: it answers in well under a second, also with thousands. */
const MAILBOX_READ_TIMEOUT_MS = 15_000;

/**
 * The mail sink notifications delivers to, read over MailDev's REST API. Other suites send mail to
 * the same MailDev, so only messages to the run's own addresses are kept; nothing is deleted, so
 * nobody's test loses its mail to this one.
 */
export class Mailbox {
  private readonly api: string;

  constructor() {
    const env = readFaultlineEnvironment();
    this.api = `http://127.0.0.1:${env.MAILDEV_WEB_PORT ?? '11080'}/api/email`;
  }

  /** Every message MailDev holds to one of `addresses` (compared without case), in the order it lists them. */
  async receivedBy(addresses: ReadonlySet<string>): Promise<ReceivedEmail[]> {
    const response = await fetch(this.api, { signal: AbortSignal.timeout(MAILBOX_READ_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`MailDev answered GET ${this.api} with ${response.status} — is it up? (npm run infra:up maildev)`);
    const messages = (await response.json()) as MailDevMessage[];
    const received: ReceivedEmail[] = [];
    for (const message of messages) {
      const to = (message.to ?? []).flatMap((recipient) => (typeof recipient.address === 'string' ? [recipient.address.toLowerCase()] : []));
      if (!to.some((address) => addresses.has(address))) continue;
      const header = message.headers?.['message-id'];
      received.push({ subject: message.subject ?? '', to, messageId: message.messageId ?? (typeof header === 'string' ? header : undefined) });
    }
    return received;
  }
}
