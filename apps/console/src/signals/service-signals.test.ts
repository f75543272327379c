import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceSignals } from './service-signals.js';

describe('serviceSignals', () => {
  it("reads held events per consumer, each projection's lag and each outbox's backlog", () => {
    const text = [
      'ordering_guard_held_events{consumer="billing-orders"} 2',
      'projection_lag_events{projection="order-history"} 14',
      'projection_lag_seconds{projection="order-history"} 1.5',
      'outbox_backlog{table="outbox"} 3',
      'outbox_oldest_unpublished_age_seconds{table="outbox"} 0.4',
      'consistency_token_waits_total{projection="order_details",outcome="caught-up"} 3',
      'consistency_token_waits_total{projection="order_details",outcome="gave-up"} 1',
      'consistency_token_wait_seconds_bucket{le="0.1",projection="order_details"} 3',
      'consistency_token_wait_seconds_sum{projection="order_details"} 0.6',
      'consistency_token_wait_seconds_count{projection="order_details"} 4',
    ].join('\n');
    assert.deepEqual(serviceSignals('orders', text), {
      service: 'orders',
      heldEvents: { 'billing-orders': 2 },
      projections: [{ projection: 'order-history', lagEvents: 14, lagSeconds: 1.5 }],
      outboxes: [{ table: 'outbox', backlog: 3, oldestAgeSeconds: 0.4 }],
      tokenWaits: [{ projection: 'order_details', caughtUp: 3, gaveUp: 1, meanWaitMs: 150 }],
    });
  });

  it('leaves out a service with no consumer, projection or outbox', () => {
    assert.equal(serviceSignals('payment-provider', 'payment_provider_requests_received_total{operation="authorize"} 3'), undefined);
  });
});
