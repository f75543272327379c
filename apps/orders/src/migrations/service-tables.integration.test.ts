import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import type { RunningService } from '@faultline/shared/service-defaults';
import { eventsTableStatements, outboxTableStatements, tableShape } from '@faultline/shared/testing';
import { startOrdersDirectly } from '../testing/orders-under-test.js';

// The test beds and benchmarks create the services' tables from one shared definition; this holds
// that definition to what orders' migrations really leave in the database.
describe("the shared definitions of orders' tables", () => {
  let service: RunningService;
  let dataSource: DataSource;
  const schema = `table_shapes_${randomBytes(4).toString('hex')}`;

  before(async () => {
    service = await startOrdersDirectly();
    dataSource = service.app.get(DataSource);
    await dataSource.query(`CREATE SCHEMA ${schema}`);
  });
  after(async () => {
    await dataSource?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await service?.app.close();
  });

  for (const [table, statements] of [
    ['outbox', outboxTableStatements],
    ['events', eventsTableStatements],
  ] as const) {
    it(`creates ${table} with the columns, constraints and indexes of the migrated table`, async () => {
      for (const statement of statements(`${schema}.${table}`)) await dataSource.query(statement);
      const migrated = await tableShape(dataSource, 'public', table);
      assert.ok(migrated.columns.length > 5, `orders' migrations leave a ${table} table`);
      assert.deepEqual(await tableShape(dataSource, schema, table), migrated);
    });
  }
});
