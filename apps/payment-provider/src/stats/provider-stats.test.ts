import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceMetrics } from '@faultline/shared/observability';
import { metricValue } from '@faultline/shared/testing';
import { ProviderStats, REMEMBERED_AUTHORIZE_KEYS } from './provider-stats.js';
import { RecentKeyCounts } from './recent-key-counts.js';

const newStats = () => new ProviderStats(new ServiceMetrics({ name: 'payment-provider', version: '0.0.0-test' }));

describe('ProviderStats', () => {
  it('counts authorize requests per Idempotency-Key, so a retry that reached the provider shows as 2 for one key', () => {
    const stats = newStats();
    stats.received('authorize', 'billing:authorize:first');
    stats.received('authorize', 'billing:authorize:first');
    stats.received('authorize', 'billing:authorize:second');
    stats.received('authorize');
    stats.received('capture', 'billing:capture:first');
    const view = stats.snapshot();
    assert.deepEqual(view.authorizeRequestsByKey, { 'billing:authorize:first': 2, 'billing:authorize:second': 1 });
    assert.equal(view.byOperation.authorize, 4);
    assert.equal(view.requestsReceived, 5);
  });

  it('counts the faults applied since the last reset, while the Prometheus counter keeps counting', async () => {
    const metrics = new ServiceMetrics({ name: 'payment-provider', version: '0.0.0-test' });
    const stats = new ProviderStats(metrics);
    stats.faultApplied('drop-response');
    assert.equal(stats.snapshot().faultsApplied['drop-response'], 1);
    assert.equal(stats.snapshot().faultsApplied.latency, 0);
    stats.reset();
    stats.faultApplied('drop-response');
    assert.equal(stats.snapshot().faultsApplied['drop-response'], 1);
    assert.equal(await metricValue(metrics.registry, 'payment_provider_faults_applied_total', { fault: 'drop-response' }), 2);
  });

  it('forgets every key and count on reset', () => {
    const stats = newStats();
    stats.received('authorize', 'k');
    stats.faultApplied('error');
    const view = stats.reset();
    assert.deepEqual(view.authorizeRequestsByKey, {});
    assert.equal(view.faultsApplied.error, 0);
    assert.equal(view.requestsReceived, 0);
  });

  it(`remembers the ${REMEMBERED_AUTHORIZE_KEYS} keys sent most recently, however many arrive`, () => {
    const stats = newStats();
    stats.received('authorize', 'key-0');
    for (let i = 1; i <= REMEMBERED_AUTHORIZE_KEYS; i += 1) stats.received('authorize', `key-${i}`);
    const keys = Object.keys(stats.snapshot().authorizeRequestsByKey);
    assert.equal(keys.length, REMEMBERED_AUTHORIZE_KEYS);
    assert.equal(keys.includes('key-0'), false);
    assert.equal(keys.at(-1), `key-${REMEMBERED_AUTHORIZE_KEYS}`);
  });
});

describe('RecentKeyCounts', () => {
  it('forgets the key sent least recently, not the one counted first', () => {
    const counts = new RecentKeyCounts(2);
    counts.count('a');
    counts.count('b');
    counts.count('a');
    counts.count('c');
    assert.deepEqual(counts.snapshot(), { a: 2, c: 1 });
  });

  it('does not count an empty key or one longer than the provider accepts', () => {
    const counts = new RecentKeyCounts(10);
    counts.count('');
    counts.count('x'.repeat(256));
    counts.count('x'.repeat(255));
    assert.deepEqual(Object.values(counts.snapshot()), [1]);
  });
});
