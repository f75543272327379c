import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { TOKEN_ALGORITHM } from '@faultline/shared/auth';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { eventually, workspaceRoot, type ServiceProcess } from '@faultline/shared/testing';
import { DEMO_ACCOUNTS, discover, serviceToken, startIdentity, userToken } from '../testing/index.js';

const env = readFaultlineEnvironment();
const ordersClient = { clientId: 'orders', clientSecret: String(env.IDENTITY_ORDERS_CLIENT_SECRET) };
/** Short, so the test waits a fraction of a second for the running provider to load the new key. */
const RELOAD_INTERVAL_MS = 200;

describe('signing key rotation', () => {
  let service: ServiceProcess;

  before(async () => {
    service = await startIdentity({ env: () => ({ IDENTITY_KEY_RELOAD_INTERVAL_MS: String(RELOAD_INTERVAL_MS) }) });
  });
  after(() => service?.stop());

  /** The kids the JWKS publishes now, fetched fresh (no cache between calls). */
  async function publishedKids(): Promise<string[]> {
    const { jwks_uri: jwksUri } = await discover(service.url);
    return ((await (await fetch(jwksUri)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  }

  it('signs new tokens with the new key while tokens signed before still verify against the JWKS', async () => {
    const [alice] = DEMO_ACCOUNTS;
    const userTokenBefore = await userToken(service.url, alice);
    const serviceTokenBefore = await serviceToken(service.url, { ...ordersClient, resource: 'billing' });
    const oldKid = String(decodeProtectedHeader(userTokenBefore).kid);
    assert.deepEqual((await publishedKids())[0], oldKid, 'the signing key is published first');

    const rotation = spawnSync(process.execPath, [join(workspaceRoot(), 'apps', 'identity', 'dist', 'rotate-keys.js')], {
      cwd: workspaceRoot(),
      encoding: 'utf8',
    });
    assert.equal(rotation.status, 0, rotation.stderr);
    const newKid = /new signing key (\S+);/.exec(rotation.stdout)?.[1];
    assert.ok(newKid && newKid !== oldKid, rotation.stdout);
    assert.match(rotation.stdout, new RegExp(`retired key ${oldKid} stays in the JWKS`));

    const began = performance.now();
    const tokenAfter = await eventually(
      async () => {
        const token = await userToken(service.url, alice);
        return decodeProtectedHeader(token).kid === newKid ? token : undefined;
      },
      { timeoutMs: 30_000, intervalMs: RELOAD_INTERVAL_MS, what: `a token signed with the new key ${newKid}` },
    );
    console.log(`the running provider signed with the new key ${((performance.now() - began) / 1_000).toFixed(2)} s after the rotation`);

    const kids = await publishedKids();
    assert.equal(kids[0], newKid, 'the new key is published first');
    assert.ok(kids.includes(oldKid), `the retired key ${oldKid} is still published: ${kids.join(', ')}`);

    // A verifier that fetches the JWKS now (a new one, nothing cached) accepts both generations.
    const keys = createRemoteJWKSet(new URL((await discover(service.url)).jwks_uri));
    const options = { algorithms: [TOKEN_ALGORITHM], issuer: service.url };
    assert.equal((await jwtVerify(userTokenBefore, keys, { ...options, audience: 'faultline-api' })).payload.sub, alice.customerId);
    assert.equal((await jwtVerify(serviceTokenBefore, keys, { ...options, audience: 'billing' })).payload.sub, 'orders');
    assert.equal((await jwtVerify(tokenAfter, keys, { ...options, audience: 'faultline-api' })).payload.sub, alice.customerId);
    const serviceTokenAfter = await serviceToken(service.url, { ...ordersClient, resource: 'billing' });
    assert.equal(decodeProtectedHeader(serviceTokenAfter).kid, newKid);
  });
});
