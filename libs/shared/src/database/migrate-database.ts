import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from './data-source-options.js';

/**
 * Runs a service's pending migrations, each in its own transaction, and returns their names. The
 * `migrate` entry of every app calls this, for operators who migrate before rolling out instead of
 * letting the first replica do it at start-up.
 */
export async function migrateDatabase(options: PostgresDataSourceOptions): Promise<string[]> {
  const dataSource = new DataSource({ ...options, migrationsRun: false });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
