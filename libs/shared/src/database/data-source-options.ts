import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import type { DatabaseSettings } from './database-settings.js';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** What a service keeps in its database, named class by class: ESM builds have no globs to scan. */
export interface DatabaseSchema {
  entities: (abstract new (...args: never[]) => unknown)[];
  migrations: (new () => MigrationInterface)[];
}

/**
 * The TypeORM options of one service's database.
 *
 * - Its own migrations table (`<service>_migrations`) and only its own migrations, run at start-up:
 *   a service never depends on another one's schema (article 8).
 * - `synchronize: false`: the schema changes only through a reviewed migration.
 * - Session time zone UTC and every instant a `timestamptz`, so no value depends on the server's
 *   or the machine's zone (article 9).
 * - `application_name` = the service, so `pg_stat_activity` and the server log say who is connected.
 */
export function dataSourceOptions(
  service: string,
  database: DatabaseSettings,
  schema: DatabaseSchema,
): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    host: database.host,
    port: database.port,
    database: database.database,
    username: database.username,
    password: database.password,
    applicationName: service,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: `${service.replaceAll('-', '_')}_migrations`, // a table name without quoting
    migrationsRun: true,
    synchronize: false,
    connectTimeoutMS: 5_000,
    extra: { options: '-c TimeZone=UTC' },
  };
}
