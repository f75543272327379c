import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestFingerprint } from './request-fingerprint.js';

describe('requestFingerprint', () => {
  it('gives the same fingerprint to the same request whatever the order of its keys', () => {
    assert.equal(
      requestFingerprint({ currency: 'EUR', items: [{ sku: 'a', quantity: 1 }] }),
      requestFingerprint({ items: [{ quantity: 1, sku: 'a' }], currency: 'EUR' }),
    );
  });

  it('gives different fingerprints to requests that differ in a value or in the order of a list', () => {
    const base = requestFingerprint({ items: ['a', 'b'], reason: 'x' });
    assert.notEqual(base, requestFingerprint({ items: ['a', 'b'], reason: 'y' }));
    assert.notEqual(base, requestFingerprint({ items: ['b', 'a'], reason: 'x' }));
  });
});
