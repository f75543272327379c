import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';

/** A message as MailDev's REST API lists it (`GET /api/email`): the fields the tests look at. */
export interface ReceivedEmail {
  id: string;
  subject: string;
  to: { address: string }[];
  from: { address: string; name: string }[];
  headers: Record<string, string>;
  text: string;
  html: string;
}

/**
 * The mail sink every notifications test reads what was really sent from: MailDev, over its REST
 * API. Tests pick recipient addresses of their own and read only those, so they never clear or
 * race over each other's mail.
 */
export class MailSink {
  private readonly api: string;

  constructor() {
    const env = loadConfig('notifications tests', z.object({ MAILDEV_WEB_PORT: port(), MAILDEV_SMTP_PORT: port() }));
    this.api = `http://127.0.0.1:${env.MAILDEV_WEB_PORT}/api`;
  }

  /** Fails with the fix when MailDev is not up. */
  async requireReachable(): Promise<void> {
    await requireReachable('MailDev (web API)', Number(new URL(this.api).port));
  }

  /** Every message received for `address`, oldest first. */
  async to(address: string): Promise<ReceivedEmail[]> {
    const response = await fetch(`${this.api}/email`);
    if (!response.ok) throw new Error(`MailDev answered GET /api/email with ${response.status}: ${await response.text()}`);
    const all = (await response.json()) as ReceivedEmail[];
    return all.filter((email) => email.to.some((to) => to.address === address));
  }
}
