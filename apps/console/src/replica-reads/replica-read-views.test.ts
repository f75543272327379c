import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replicaReadView } from './replica-read-views.js';

describe('replicaReadView', () => {
  it("reads the replica's lag and where reads went from a service's /metrics", () => {
    const text = [
      'replica_lag_bytes 24576',
      'replica_lag_seconds 7.25',
      'replica_lag_threshold_seconds 5',
      'replica_reads_forced_to_primary 1',
      'replica_routed_reads_total{served_by="replica",reason="no-token"} 40',
      'replica_routed_reads_total{served_by="primary",reason="replica-lagging"} 9',
      'replica_routed_reads_total{served_by="primary",reason="token-not-replayed"} 2',
    ].join('\n');
    assert.deepEqual(replicaReadView('billing', text), {
      service: 'billing',
      lagBytes: 24576,
      lagSeconds: 7.25,
      thresholdSeconds: 5,
      forcedToPrimary: true,
      reads: { primary: 11, replica: 40 },
      readsByReason: { 'replica · no-token': 40, 'primary · replica-lagging': 9, 'primary · token-not-replayed': 2 },
    });
  });

  it('leaves out a service that never reads from the replica', () => {
    assert.equal(replicaReadView('notifications', 'http_requests_total{route="/health"} 3\n'), undefined);
  });
});
