import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readReplicaAlways } from './naive-replica-reads.js';
import { decideRoute } from './replica-routing-decision.js';

const healthy = { forcesPrimary: false, replicaReachable: true };
const lagging = { forcesPrimary: true, replicaReachable: true };
const unreachable = { forcesPrimary: true, replicaReachable: false };

describe('replica routing decision', () => {
  it('sends a read with a token to wait for the replica to replay that position', () => {
    assert.deepEqual(decideRoute(healthy, 0x16b3748n), { awaitReplayOf: 0x16b3748n });
  });

  it('lets a read without a token use a healthy replica', () => {
    assert.deepEqual(decideRoute(healthy, undefined), { servedBy: 'replica', reason: 'no-token' });
  });

  it('sends every read to the primary while the replica lags past the threshold, token or not', () => {
    assert.deepEqual(decideRoute(lagging, 1n), { servedBy: 'primary', reason: 'replica-lagging' });
    assert.deepEqual(decideRoute(lagging, undefined), { servedBy: 'primary', reason: 'replica-lagging' });
  });

  it('sends every read to the primary while the replica does not answer', () => {
    assert.deepEqual(decideRoute(unreachable, undefined), { servedBy: 'primary', reason: 'replica-unreachable' });
  });

  it('in naive mode reads the replica whatever the token and the lag say (the workshop pitfall)', () => {
    assert.deepEqual(readReplicaAlways(lagging, 1n), { servedBy: 'replica', reason: 'naive' });
  });
});
