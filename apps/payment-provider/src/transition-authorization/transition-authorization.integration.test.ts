import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem } from '@faultline/shared/testing';
import { authorizationView, type AuthorizationView } from '../authorizations/authorization.schema.js';
import { ProviderCalls, newCharge, startPaymentProvider } from '../testing/provider-under-test.js';

describe('payment provider authorization lifecycle', () => {
  let service: RunningService;
  const provider = new ProviderCalls(() => service.url);

  before(async () => {
    service = await startPaymentProvider();
  });
  after(() => service?.app.close());

  async function authorized(): Promise<AuthorizationView> {
    return authorizationView.parse(await (await provider.authorize(newCharge())).json());
  }

  async function moved(id: string, transition: 'capture' | 'void' | 'refund', key?: string): Promise<AuthorizationView> {
    const response = await provider.transition(id, transition, key);
    assert.equal(response.status, 200, `${transition}: ${response.status}`);
    return authorizationView.parse(await response.json());
  }

  it('captures an authorization, then refunds it', async () => {
    const { id } = await authorized();
    assert.equal((await moved(id, 'capture')).status, 'captured');
    const refunded = await moved(id, 'refund');
    assert.equal(refunded.status, 'refunded');
    assert.deepEqual(authorizationView.parse(await (await provider.get(`/v1/authorizations/${id}`)).json()), refunded);
  });

  it('voids an authorization, after which capture is refused with a 409 problem', async () => {
    const { id } = await authorized();
    assert.equal((await moved(id, 'void')).status, 'voided');
    const problem = await expectProblem(await provider.transition(id, 'capture'), 409);
    assert.equal(problem.type, 'urn:faultline:problem:authorization-state-conflict');
    assert.match(problem.detail, /is voided; capture needs it to be authorized/);
  });

  it('refuses to refund an authorization that was never captured, and to capture one twice', async () => {
    const { id } = await authorized();
    await expectProblem(await provider.transition(id, 'refund'), 409);
    await moved(id, 'capture');
    await expectProblem(await provider.transition(id, 'capture'), 409);
  });

  it('replays a capture sent again with its key instead of refusing it as a second capture', async () => {
    const { id } = await authorized();
    const key = randomUUID();
    const captured = await moved(id, 'capture', key);
    const retry = await provider.transition(id, 'capture', key);
    assert.equal(retry.status, 200);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await retry.json(), captured);
  });

  it('records a refused move under its key, so the lookup says it failed and why', async () => {
    const { id } = await authorized();
    await moved(id, 'void');
    const key = randomUUID();
    await expectProblem(await provider.transition(id, 'refund', key), 409);
    const record = (await (await provider.get(`/v1/requests/${key}`)).json()) as { status: string; response: { status: number } };
    assert.equal(record.status, 'failed');
    assert.equal(record.response.status, 409);
  });

  it('answers 404 for an authorization it never issued, on reads and on moves', async () => {
    await expectProblem(await provider.get('/v1/authorizations/auth_unknown'), 404);
    await expectProblem(await provider.transition('auth_unknown', 'capture'), 404);
  });

  it('answers 400 for a move with a non-empty body', async () => {
    const { id } = await authorized();
    const response = await fetch(`${service.url}/v1/authorizations/${id}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amountMinor: 5 }),
    });
    await expectProblem(response, 400);
  });

  it("lists one order's authorizations, oldest first, and none of another order's", async () => {
    const charge = newCharge();
    const first = authorizationView.parse(await (await provider.authorize(charge)).json());
    const second = authorizationView.parse(await (await provider.authorize(charge)).json());
    await provider.authorize(newCharge());
    const list = (await (await provider.get(`/v1/authorizations?orderReference=${charge.orderReference}`)).json()) as {
      items: AuthorizationView[];
    };
    assert.deepEqual(list.items.map((a) => a.id), [first.id, second.id]);
  });
});
