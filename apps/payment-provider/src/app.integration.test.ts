import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceMetrics } from '@faultline/shared/observability';
import type { RunningService } from '@faultline/shared/service-defaults';
import { expectProblem, itBehavesLikeAFaultlineService, metricValue } from '@faultline/shared/testing';
import { ProviderCalls, newCharge, startPaymentProvider } from './testing/provider-under-test.js';

describe('payment provider simulator', () => {
  let service: RunningService;
  const provider = new ProviderCalls(() => service.url);
  const url = (path: string) => `${service.url}${path}`;

  before(async () => {
    service = await startPaymentProvider();
  });
  after(() => service?.app.close());

  itBehavesLikeAFaultlineService({
    baseUrl: () => service.url,
    documentedPaths: [
      '/v1/authorizations',
      '/v1/authorizations/{id}',
      '/v1/authorizations/{id}/capture',
      '/v1/authorizations/{id}/void',
      '/v1/authorizations/{id}/refund',
      '/v1/requests/{idempotencyKey}',
      '/admin/faults',
      '/admin/stats',
      '/metrics',
    ],
    jsonEndpoint: {
      method: 'POST',
      path: '/v1/authorizations',
      invalidBody: { amountMinor: 0, currency: 'eur' },
      invalidFields: ['amountMinor', 'currency', 'customerReference', 'orderReference'],
    },
  });

  it('counts every /v1 request that reached it by operation and authorize requests by key, until the counts are reset', async () => {
    await fetch(url('/admin/stats/reset'), { method: 'POST' });
    const charge = newCharge();
    const key = `stats-${charge.orderReference}`;
    const { id } = (await (await provider.authorize(charge, key)).json()) as { id: string };
    await provider.transition(id, 'capture');
    await provider.transition(id, 'refund');
    await provider.transition(id, 'void');
    await provider.get(`/v1/authorizations/${id}`);
    await provider.countAuthorizations(charge.orderReference);
    await provider.authorize(charge, key);
    await provider.authorize({ amountMinor: -1 });

    assert.deepEqual(await (await fetch(url('/admin/stats'))).json(), {
      requestsReceived: 8,
      byOperation: { authorize: 3, capture: 1, void: 1, refund: 1, lookup: 2 },
      authorizeRequestsByKey: { [key]: 2 },
      faultsApplied: { latency: 0, hang: 0, error: 0, decline: 0, 'drop-response': 0, 'corrupt-body': 0 },
    });
    const reset = await fetch(url('/admin/stats/reset'), { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.equal(((await reset.json()) as { requestsReceived: number }).requestsReceived, 0);
  });

  it('counts requests on /metrics with a Prometheus counter that a reset does not touch', async () => {
    const registry = service.app.get(ServiceMetrics).registry;
    const before = await metricValue(registry, 'payment_provider_requests_received_total', { operation: 'authorize' });
    await provider.authorize(newCharge());
    await fetch(url('/admin/stats/reset'), { method: 'POST' });
    assert.equal(await metricValue(registry, 'payment_provider_requests_received_total', { operation: 'authorize' }), before + 1);
    assert.match(await (await fetch(url('/metrics'))).text(), /^payment_provider_requests_received_total\{operation="authorize"/m);
  });

  it('does not count admin, health or metrics requests as provider traffic', async () => {
    await fetch(url('/admin/stats/reset'), { method: 'POST' });
    await fetch(url('/admin/faults'));
    await fetch(url('/health'));
    await fetch(url('/metrics'));
    assert.equal(((await (await fetch(url('/admin/stats'))).json()) as { requestsReceived: number }).requestsReceived, 0);
  });

  it('refuses an unknown fault or a value out of range with a 400 problem naming it', async () => {
    const response = await fetch(url('/admin/faults'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 2, hangs: true }),
    });
    const problem = await expectProblem(response, 400);
    assert.deepEqual(problem.errors?.map((e) => e.path).sort(), ['', 'errorRate'].sort());
  });
});
