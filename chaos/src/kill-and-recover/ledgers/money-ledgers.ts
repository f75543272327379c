import { PAYMENT_AGGREGATE, PAYMENT_CAPTURED } from '@faultline/shared/contracts';
import type { BillingPayment, ProviderCharge } from '../system-ledgers.js';
import type { LedgerDatabases } from './ledger-databases.js';

/** Billing's payments of the run's orders. */
export async function readPayments(databases: LedgerDatabases, orderIds: string[]): Promise<BillingPayment[]> {
  const { rows } = await databases.query<{ payment_id: string; order_id: string; amount_minor: string; status: string; provider_authorization_id: string }>(
    'billing',
    'SELECT payment_id, order_id, amount_minor, status, provider_authorization_id FROM payments WHERE order_id = ANY($1::uuid[])',
    [orderIds],
  );
  return rows.map((row) => ({
    paymentId: row.payment_id,
    orderId: row.order_id,
    amountMinor: Number(row.amount_minor),
    status: row.status,
    providerAuthorizationId: row.provider_authorization_id,
  }));
}

/** The provider's authorizations of the run's orders: the customer's card statement. */
export async function readCharges(databases: LedgerDatabases, orderIds: string[]): Promise<ProviderCharge[]> {
  const { rows } = await databases.query<{ id: string; order_reference: string; amount_minor: string; status: string }>(
    'payment_provider',
    'SELECT id, order_reference, amount_minor, status FROM authorizations WHERE order_reference = ANY($1::text[])',
    [orderIds],
  );
  return rows.map((row) => ({ id: row.id, orderReference: row.order_reference, amountMinor: Number(row.amount_minor), status: row.status }));
}

/** Billing's captured events per order, from its outbox (aggregate: the payment), joined to the payment's order. */
export async function readReceipts(databases: LedgerDatabases, orderIds: string[]): Promise<Map<string, string[]>> {
  const { rows } = await databases.query<{ order_id: string; event_id: string }>(
    'billing',
    `SELECT p.order_id::text, o.event_id::text FROM outbox o JOIN payments p ON p.payment_id::text = o.aggregate_id
      WHERE o.aggregate_type = $1 AND o.event_type = $2 AND p.order_id = ANY($3::uuid[]) ORDER BY o.id`,
    [PAYMENT_AGGREGATE, PAYMENT_CAPTURED, orderIds],
  );
  const receipts = new Map<string, string[]>();
  for (const row of rows) receipts.set(row.order_id, [...(receipts.get(row.order_id) ?? []), row.event_id]);
  return receipts;
}

/**
 * The provider's refunds per order: each keyed refund request it answered 200 (its request ledger,
 * one row per key; a retry with the same key replays the row, a second key would be a second row).
 */
export async function readProviderRefunds(databases: LedgerDatabases, orderIds: string[]): Promise<Map<string, number>> {
  const { rows } = await databases.query<{ order_reference: string; count: string }>(
    'payment_provider',
    `SELECT response_body->>'orderReference' AS order_reference, count(*) FROM idempotent_requests
      WHERE operation = 'refund' AND status = 'succeeded' AND response_status = 200 AND response_body->>'orderReference' = ANY($1::text[])
      GROUP BY 1`,
    [orderIds],
  );
  return new Map(rows.map((row) => [row.order_reference, Number(row.count)]));
}
