import { ORDER_AGGREGATE } from '@faultline/shared/contracts';
import type { LedgerDatabases } from './ledger-databases.js';
import { ORDER_EVENT_CONSUMERS } from './order-event-consumers.js';

/** Inbox rows of the run's orders per consumer: the primary key (consumer, event id) allows one per event. */
export async function readProcessed(databases: LedgerDatabases, orderIds: string[]): Promise<Record<string, number>> {
  const processed: Record<string, number> = {};
  for (const { consumer, database } of ORDER_EVENT_CONSUMERS) {
    const { rows } = await databases.query<{ count: string }>(
      database,
      "SELECT count(*) FROM inbox WHERE consumer = $1 AND aggregate_type = 'order' AND aggregate_id = ANY($2::text[])",
      [consumer, orderIds],
    );
    processed[consumer] = Number(rows[0]?.count ?? 0);
  }
  return processed;
}

/** The "we have your order" e-mails recorded per order: one per applied `orders.order.placed`. */
export async function readNotifications(databases: LedgerDatabases, orderIds: string[]): Promise<Map<string, number>> {
  const { rows } = await databases.query<{ order_id: string; count: string }>(
    'notifications',
    `SELECT order_id::text, count(*) FROM notifications WHERE order_id = ANY($1::uuid[]) AND kind = 'order-placed' GROUP BY order_id`,
    [orderIds],
  );
  return new Map(rows.map((row) => [row.order_id, Number(row.count)]));
}

/** Billing's copy of each order: its status and the sequence of the last event applied to it. */
export async function readBillingOrders(databases: LedgerDatabases, orderIds: string[]): Promise<Map<string, { status: string; version: number }>> {
  const { rows } = await databases.query<{ order_id: string; status: string; version: number }>(
    'billing',
    'SELECT order_id::text, status, version FROM billing_orders WHERE order_id = ANY($1::uuid[])',
    [orderIds],
  );
  return new Map(rows.map((row) => [row.order_id, { status: row.status, version: row.version }]));
}

/** The ordering guard's last applied sequence per order, in each consumer's own database (OrderingGuard). */
export async function readCheckpoints(databases: LedgerDatabases, orderIds: string[]): Promise<Record<string, Map<string, number>>> {
  const checkpoints: Record<string, Map<string, number>> = {};
  for (const { consumer, database } of ORDER_EVENT_CONSUMERS) {
    const { rows } = await databases.query<{ aggregate_id: string; last_sequence: number }>(
      database,
      'SELECT aggregate_id, last_sequence FROM ordering_checkpoints WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = ANY($3::text[])',
      [consumer, ORDER_AGGREGATE, orderIds],
    );
    checkpoints[consumer] = new Map(rows.map((row) => [row.aggregate_id, row.last_sequence]));
  }
  return checkpoints;
}
