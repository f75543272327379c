import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { paymentOperations } from './payment-lifecycle.js';
import { providerIdempotencyKey } from './provider-idempotency-key.js';

describe('providerIdempotencyKey', () => {
  it('derives a readable key from the operation and the client key', () => {
    assert.equal(providerIdempotencyKey('capture', 'order-42-capture'), 'billing:capture:order-42-capture');
  });

  it('gives a retry of the same request the same key, and other requests other keys, never longer than 255', () => {
    const key = fc.stringMatching(/^[\x21-\x7e]{1,255}$/);
    const operation = fc.constantFrom(...paymentOperations);
    fc.assert(
      fc.property(operation, key, operation, key, (op1, key1, op2, key2) => {
        const derived = providerIdempotencyKey(op1, key1);
        assert.equal(derived, providerIdempotencyKey(op1, key1));
        assert.ok(derived.length <= 255, derived);
        if (op1 !== op2 || key1 !== key2) assert.notEqual(derived, providerIdempotencyKey(op2, key2));
      }),
    );
  });
});
