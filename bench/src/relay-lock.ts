import type pg from 'pg';
import { OutboxTable } from '@faultline/shared/outbox';

/**
 * Takes the outbox relay's leader lock of `service` on `client`'s database before the service
 * starts, so its relay stands by and publishes nothing: the benchmark measures the command up to the
 * committed outbox row, and the service's topic is shared with every other suite.
 */
export async function holdRelayLock(client: pg.Client, service: string, table = 'outbox'): Promise<void> {
  const key = new OutboxTable(table).leaderLockKey(service);
  const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
  if (result.rows[0]?.locked !== true) throw new Error(`the ${service} relay lock is taken in ${client.database}: is another bench running?`);
}
