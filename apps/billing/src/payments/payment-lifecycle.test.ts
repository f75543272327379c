import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideChange, paymentStatuses, type PaymentChange, type PaymentStatus } from './payment-lifecycle.js';

describe('decideChange', () => {
  const allowed: [PaymentChange, PaymentStatus, PaymentStatus][] = [
    ['capture', 'authorized', 'captured'],
    ['void', 'authorized', 'voided'],
    ['refund', 'captured', 'refunded'],
  ];

  it('allows capture or void of an authorized payment and refund of a captured one', () => {
    for (const [change, from, to] of allowed) assert.deepEqual(decideChange(change, from), { allowed: true, to });
  });

  it('refuses every other change, saying which status the change needs', () => {
    for (const change of ['capture', 'void', 'refund'] as const) {
      for (const status of paymentStatuses) {
        if (allowed.some(([c, from]) => c === change && from === status)) continue;
        const decision = decideChange(change, status);
        assert.equal(decision.allowed, false, `${change} of ${status}`);
        if (!decision.allowed) assert.match(decision.reason, new RegExp(`^a ${status} payment cannot be`));
      }
    }
  });
});
