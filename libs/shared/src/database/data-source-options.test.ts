import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MigrationInterface } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

class CreateThings1700000000000 implements MigrationInterface {
  up(): Promise<void> {
    return Promise.resolve();
  }
  down(): Promise<void> {
    return Promise.resolve();
  }
}
class Thing {}

const database = { host: '127.0.0.1', port: 25433, database: 'billing', username: 'billing', password: 'x' };

describe('dataSourceOptions', () => {
  const options = dataSourceOptions('billing', database, { entities: [Thing], migrations: [CreateThings1700000000000] });

  it("keeps each service's migrations in a table of its own and runs them at start-up", () => {
    assert.equal(options.migrationsTableName, 'billing_migrations');
    assert.equal(options.migrationsRun, true);
    assert.deepEqual(options.migrations, [CreateThings1700000000000]);
  });

  it('never lets TypeORM change the schema behind the migrations', () => {
    assert.equal(options.synchronize, false);
  });

  it('pins the session time zone to UTC and names the connection after the service', () => {
    assert.deepEqual(options.extra, { options: '-c TimeZone=UTC' });
    assert.equal(options.applicationName, 'billing');
  });

  it('connects with the service’s own database and role', () => {
    assert.deepEqual(
      [options.host, options.port, options.database, options.username],
      ['127.0.0.1', 25433, 'billing', 'billing'],
    );
  });
});
