import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { requireReachable } from '@faultline/shared/testing';
import { infra, serviceDatabases } from '../environment.js';

// Article 7 stands on a real streaming replica: this proves the provisioning gave us one.
const [orders] = serviceDatabases;
const connection = (port: number) => ({
  host: '127.0.0.1',
  port,
  user: orders.user,
  password: orders.password,
  database: orders.database,
});

describe('PostgreSQL streaming replica', () => {
  const primary = new pg.Client(connection(infra.PG_PRIMARY_PORT));
  const replica = new pg.Client(connection(infra.PG_REPLICA_PORT));

  before(async () => {
    await requireReachable('PostgreSQL primary', infra.PG_PRIMARY_PORT);
    await requireReachable('PostgreSQL replica', infra.PG_REPLICA_PORT);
    await Promise.all([primary.connect(), replica.connect()]);
    await primary.query('create table if not exists replication_probe (id uuid primary key, written_at timestamptz not null)');
  });

  after(async () => {
    await Promise.allSettled([primary.end(), replica.end()]);
  });

  it('is a hot standby in recovery that refuses writes', async () => {
    const { rows } = await replica.query<{ in_recovery: boolean }>('select pg_is_in_recovery() as in_recovery');
    assert.equal(rows[0].in_recovery, true);
    await assert.rejects(replica.query('insert into replication_probe values (gen_random_uuid(), now())'), (error: pg.DatabaseError) => {
      assert.equal(error.code, '25006'); // read_only_sql_transaction
      return true;
    });
  });

  it('serves a row written on the primary once its WAL position has been replayed', async () => {
    const id = randomUUID();
    await primary.query('insert into replication_probe (id, written_at) values ($1, now())', [id]);
    const { rows: lsnRows } = await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    const writtenAt = lsnRows[0].lsn;

    // Wait (bounded) for the replica to replay past the write's LSN: the same check article 7's
    // read router makes before it trusts the replica.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await replica.query<{ caught_up: boolean }>(
        'select pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up',
        [writtenAt],
      );
      if (rows[0].caught_up) break;
      assert.ok(Date.now() < deadline, `replica did not replay ${writtenAt} within 10 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { rows } = await replica.query('select id from replication_probe where id = $1', [id]);
    assert.equal(rows.length, 1);
    await primary.query('delete from replication_probe where id = $1', [id]);
  });
});
