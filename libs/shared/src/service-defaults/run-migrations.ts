import { loadSettingsOrExit } from './load-settings-or-exit.js';
import { dataSourceOptions, migrateDatabase, type DatabaseSchema } from '../database/index.js';
import type { ServiceSettings } from './service-settings.js';

/**
 * The whole of an app's migrate.ts: run that service's pending migrations against its own
 * database, print what ran, exit 0 — or print the cause and exit 1. Services also run pending
 * migrations at start-up; this is for operators who migrate before a rollout.
 */
export async function runMigrations(options: {
  loadSettings: () => ServiceSettings;
  database: DatabaseSchema;
}): Promise<void> {
  const settings = loadSettingsOrExit(options.loadSettings);
  const { name } = settings.service;
  const { database } = settings;
  try {
    const applied = await migrateDatabase(dataSourceOptions(name, database, options.database));
    console.log(
      applied.length === 0
        ? `${name}: database ${database.database} is up to date`
        : `${name}: applied ${applied.length} migration(s) to ${database.database}: ${applied.join(', ')}`,
    );
  } catch (error) {
    console.error(
      `${name}: migrating ${database.database} at ${database.host}:${database.port} failed: ${(error as Error).message}`,
    );
    process.exit(1);
  }
}
