import pg from 'pg';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { eventually } from '@faultline/shared/testing';

/**
 * Waits until `consumer` has applied the event, i.e. its inbox row is in the consumer's own database
 * (read as the superuser, directly on the primary). For a consumer with no API that shows what it
 * applied, such as the saga's starter in orders. False when the row is not there within `timeoutMs`.
 */
export async function awaitInboxRow(database: 'orders' | 'billing' | 'notifications', consumer: string, eventId: string, timeoutMs: number): Promise<boolean> {
  const env = readFaultlineEnvironment();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(env.PG_PRIMARY_PORT),
    user: env.PG_SUPERUSER,
    password: env.PG_SUPERUSER_PASSWORD,
    database: env[`${database.toUpperCase()}_DB_NAME`] ?? database,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const applied = async () => ((await client.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [consumer, eventId])).rows.length > 0 ? true : undefined);
    return await eventually(applied, { timeoutMs, intervalMs: 250, what: `${consumer} applied ${eventId}` }).catch(() => false);
  } finally {
    await client.end().catch(() => undefined);
  }
}
