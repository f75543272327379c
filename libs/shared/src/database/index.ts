export { bigintAsNumber } from './column-transformers.js';
export { dataSourceOptions, type DatabaseSchema, type PostgresDataSourceOptions } from './data-source-options.js';
export type { DatabaseSettings } from './database-settings.js';
export { migrateDatabase } from './migrate-database.js';
