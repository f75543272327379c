import type { SystemLedgers } from '../system-ledgers.js';
import { LedgerDatabases } from './ledger-databases.js';

/**
 * Every service database that has an outbox table (orders and billing publish through one). The
 * run's rows are its orders' in orders, and its orders' payments' in billing (aggregate: the payment).
 */
export async function readOutboxes(databases: LedgerDatabases, orderIds: string[]): Promise<Pick<SystemLedgers, 'unpublishedOfRun' | 'unpublishedTotal'>> {
  const unpublishedOfRun: Record<string, number> = {};
  const unpublishedTotal: Record<string, number> = {};
  for (const database of LedgerDatabases.names) {
    const { rows } = await databases.query<{ present: boolean }>(database, "SELECT to_regclass('public.outbox') IS NOT NULL AS present");
    if (!rows[0]?.present) continue;
    const runAggregates =
      database === 'billing' ? 'aggregate_id IN (SELECT payment_id::text FROM payments WHERE order_id = ANY($1::uuid[]))' : 'aggregate_id = ANY($1::text[])';
    const counts = await databases.query<{ run: string; total: string }>(
      database,
      `SELECT count(*) FILTER (WHERE ${runAggregates}) AS run, count(*) AS total FROM outbox WHERE published_at IS NULL`,
      [orderIds],
    );
    unpublishedOfRun[database] = Number(counts.rows[0]?.run ?? 0);
    unpublishedTotal[database] = Number(counts.rows[0]?.total ?? 0);
  }
  return { unpublishedOfRun, unpublishedTotal };
}
