import pg from 'pg';
import { eventually } from '@faultline/shared/testing';
import type { ScenarioEnvironment } from '../environment.js';
import type { Customer } from '../identity.js';

/** What the dead-letter scenario reads of billing from outside: its copy of an order and its inbox. */

/** Billing's consumer of order events, its group, and so its dead-letter topic (apps/billing/src/config.ts). */
export const BILLING_CONSUMER = 'billing-orders';
/**
 * The bound on each event the scenario waits for (a dead letter, an order applied, an offset
 * committed): generous, so that only a run that is stuck fails. How long each took is printed; speed
 * is the bench's business, not this scenario's.
 */
export const EVENT_TIMEOUT_MS = 30_000;

/** Billing's copy of an order, as GET /orders/:id shows it (the fields the scenario compares). */
export interface BillingOrderCopy {
  status: string;
  version: number;
}

/** Whether billing has a copy of the order (GET /orders/:id answers 200); undefined until it has, for `eventually`. */
export async function billingHas(customer: Customer, billingUrl: string, orderId: string): Promise<true | undefined> {
  const response = await customer.fetch(`${billingUrl}/orders/${orderId}`).catch(() => undefined);
  return response?.status === 200 ? true : undefined;
}

/**
 * Billing's copy of an order (GET /orders/:id), null when billing answers 404. Asked again while
 * billing cannot say either way (a 5xx while its pool reconnects after the outage).
 */
export async function billingCopy(customer: Customer, billingUrl: string, orderId: string): Promise<BillingOrderCopy | null> {
  return eventually(
    async () => {
      const response = await customer.fetch(`${billingUrl}/orders/${orderId}`);
      if (response.status === 404) return null;
      if (response.status !== 200) return undefined;
      const { status, version } = (await response.json()) as BillingOrderCopy;
      return { status, version };
    },
    { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 200, what: `billing answering 200 or 404 for order ${orderId}` },
  );
}

/** Billing's inbox rows for the event, read directly as an observer (its primary key allows one). */
export async function inboxRows(env: ScenarioEnvironment, eventId: string): Promise<number> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: env.PG_PRIMARY_PORT,
    database: env.BILLING_DB_NAME,
    user: env.BILLING_DB_USER,
    password: env.BILLING_DB_PASSWORD,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND event_id = $2', [BILLING_CONSUMER, eventId]);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** Billing's copy as the narration shows it: its status and version, `none` or `unreadable`. */
export function describeCopy(copy: BillingOrderCopy | null | undefined): string {
  if (copy === undefined) return 'unreadable';
  return copy === null ? 'none' : `${copy.status} v${copy.version}`;
}
