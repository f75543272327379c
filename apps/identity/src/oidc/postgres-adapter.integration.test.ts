import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@faultline/shared/database';
import { requireReachable } from '@faultline/shared/testing';
import { SERVICE_NAME, loadIdentitySettings } from '../config.js';
import { entities } from '../entities/index.js';
import { migrations } from '../migrations/index.js';
import { PostgresOidcAdapter } from './postgres-adapter.js';

describe('oidc-provider state on PostgreSQL (the adapter)', () => {
  let db: DataSource;
  const adapter = (model: string) => new PostgresOidcAdapter(model, db, 0);

  before(async () => {
    const settings = loadIdentitySettings();
    await requireReachable('PostgreSQL primary (the identity database)', settings.database.port);
    db = new DataSource(dataSourceOptions(SERVICE_NAME, settings.database, { entities, migrations }));
    await db.initialize();
  });
  after(() => db?.destroy());

  it('finds what was stored under its model and id, in another adapter instance too (as after a restart)', async () => {
    const id = randomUUID();
    await adapter('AuthorizationCode').upsert(id, { jti: id, kind: 'AuthorizationCode', accountId: 'a-1', scope: 'openid' }, 60);
    assert.deepEqual(await adapter('AuthorizationCode').find(id), { jti: id, kind: 'AuthorizationCode', accountId: 'a-1', scope: 'openid' });
    assert.equal(await adapter('AccessToken').find(id), undefined, 'another model with the same id is another row');
  });

  it('marks a consumed model, which the provider then refuses to redeem a second time', async () => {
    const id = randomUUID();
    await adapter('AuthorizationCode').upsert(id, { jti: id }, 60);
    await adapter('AuthorizationCode').consume(id);
    const found = await adapter('AuthorizationCode').find(id);
    assert.equal(typeof found?.consumed, 'number');
  });

  it('no longer finds a model once it has expired', async () => {
    const id = randomUUID();
    await adapter('Interaction').upsert(id, { jti: id }, 1);
    assert.ok(await adapter('Interaction').find(id));
    await sleep(1_100);
    assert.equal(await adapter('Interaction').find(id), undefined);
  });

  it('finds a session by its uid, the newest row when the session id changed', async () => {
    const uid = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    await adapter('Session').upsert(first, { jti: first, uid, accountId: 'before' }, 60);
    await adapter('Session').upsert(second, { jti: second, uid, accountId: 'after' }, 60);
    assert.equal((await adapter('Session').findByUid(uid))?.accountId, 'after');
    assert.equal(await adapter('Session').find(first), undefined, 'the superseded session row is gone');
  });

  it('revokes every token of a model issued under a grant, and only those', async () => {
    const grantId = randomUUID();
    const [code, other] = [randomUUID(), randomUUID()];
    await adapter('AuthorizationCode').upsert(code, { jti: code, grantId }, 60);
    await adapter('AuthorizationCode').upsert(other, { jti: other, grantId: randomUUID() }, 60);
    await adapter('AuthorizationCode').revokeByGrantId(grantId);
    assert.equal(await adapter('AuthorizationCode').find(code), undefined);
    assert.ok(await adapter('AuthorizationCode').find(other));
  });

  it('destroys a model', async () => {
    const id = randomUUID();
    await adapter('Grant').upsert(id, { jti: id }, 60);
    await adapter('Grant').destroy(id);
    assert.equal(await adapter('Grant').find(id), undefined);
  });
});
