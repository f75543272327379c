import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextStatus, type AuthorizationStatus, type AuthorizationTransition } from './authorization.js';

describe('authorization transitions', () => {
  it('captures or voids an authorized charge, and refunds a captured one', () => {
    assert.equal(nextStatus('authorized', 'capture'), 'captured');
    assert.equal(nextStatus('authorized', 'void'), 'voided');
    assert.equal(nextStatus('captured', 'refund'), 'refunded');
  });

  it('refuses every other move, including doing the same thing twice', () => {
    const allowed = new Set(['authorized:capture', 'authorized:void', 'captured:refund']);
    const statuses: AuthorizationStatus[] = ['authorized', 'captured', 'voided', 'refunded'];
    const transitions: AuthorizationTransition[] = ['capture', 'void', 'refund'];
    for (const status of statuses) {
      for (const transition of transitions) {
        if (allowed.has(`${status}:${transition}`)) continue;
        assert.equal(nextStatus(status, transition), undefined, `${transition} from ${status}`);
      }
    }
  });
});
