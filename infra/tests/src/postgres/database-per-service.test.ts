import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import pg from 'pg';
import { requireReachable } from '@faultline/shared/testing';
import { infra, serviceDatabases } from '../environment.js';

// Article 8: a database and a login role per service, CONNECT revoked from PUBLIC. These tests go to
// the primary directly (not through Toxiproxy): they prove what PostgreSQL itself enforces.

async function connectAs(user: string, password: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port: infra.PG_PRIMARY_PORT, user, password, database });
  await client.connect();
  return client;
}

describe('one database and one role per service', () => {
  before(() => requireReachable('PostgreSQL primary', infra.PG_PRIMARY_PORT));

  for (const own of serviceDatabases) {
    it(`lets the ${own.service} role connect to its own database and create tables in it`, async () => {
      const client = await connectAs(own.user, own.password, own.database);
      try {
        await client.query('create table if not exists role_isolation_probe (id int primary key)');
        const { rows } = await client.query<{ user: string; db: string }>('select current_user as user, current_database() as db');
        assert.deepEqual(rows[0], { user: own.user, db: own.database });
        await client.query('drop table role_isolation_probe');
      } finally {
        await client.end();
      }
    });

    for (const other of serviceDatabases.filter((d) => d !== own)) {
      it(`refuses the ${own.service} role on the ${other.service} database with a permission error`, async () => {
        await assert.rejects(connectAs(own.user, own.password, other.database), (error: pg.DatabaseError) => {
          assert.equal(error.code, '42501', `expected insufficient_privilege, got ${error.code}: ${error.message}`);
          assert.match(error.message, new RegExp(`permission denied for database "?${other.database}"?`));
          return true;
        });
      });
    }
  }

  it('refuses a service role with the wrong password', async () => {
    const [orders] = serviceDatabases;
    await assert.rejects(connectAs(orders.user, 'not-the-password', orders.database), (error: pg.DatabaseError) => {
      assert.equal(error.code, '28P01');
      return true;
    });
  });
});
