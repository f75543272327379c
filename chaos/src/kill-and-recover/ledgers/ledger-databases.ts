import pg from 'pg';
import { readFaultlineEnvironment } from '@faultline/shared/config';

const DATABASES = ['orders', 'billing', 'notifications', 'payment_provider'] as const;
export type Database = (typeof DATABASES)[number];

/**
 * The services' databases, read as the superuser directly on the primary (not through Toxiproxy:
 * the run's own cuts, and other suites', must not blind the checker). Each database is its
 * service's own; the provider's is the customer's card statement.
 */
export class LedgerDatabases {
  static readonly names: readonly Database[] = DATABASES;

  private constructor(private readonly pools: Map<Database, pg.Pool>) {}

  static open(): LedgerDatabases {
    const env = readFaultlineEnvironment();
    const pools = new Map<Database, pg.Pool>(
      DATABASES.map((database) => [
        database,
        new pg.Pool({
          host: '127.0.0.1',
          port: Number(env.PG_PRIMARY_PORT),
          user: env.PG_SUPERUSER,
          password: env.PG_SUPERUSER_PASSWORD,
          database: env[`${database.toUpperCase()}_DB_NAME`] ?? database,
          max: 2,
        }),
      ]),
    );
    for (const pool of pools.values()) pool.on('error', () => undefined);
    return new LedgerDatabases(pools);
  }

  query<Row extends pg.QueryResultRow>(database: Database, text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
    const pool = this.pools.get(database);
    if (!pool) throw new Error(`no pool for ${database}`);
    return pool.query<Row>(text, values);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
  }
}
