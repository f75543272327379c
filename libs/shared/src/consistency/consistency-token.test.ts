import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsistencyToken } from './consistency-token.js';

describe('ConsistencyToken', () => {
  it('reads back the position it was issued for', () => {
    const token = ConsistencyToken.at(9_007_199_254_740_993n);
    const parsed = ConsistencyToken.parse(token.toString());
    assert.ok(parsed instanceof ConsistencyToken);
    assert.equal(parsed.position, 9_007_199_254_740_993n);
  });

  it('treats a missing header as no token and a tampered one as an error naming the fix', () => {
    assert.equal(ConsistencyToken.parse(undefined), undefined);
    assert.equal(ConsistencyToken.parse(''), undefined);
    const tampered = ConsistencyToken.parse('p1.bm90LWpzb24');
    assert.ok(tampered instanceof Error);
    assert.match(tampered.message, /exactly as received/);
    assert.ok(ConsistencyToken.parse('42') instanceof Error);
  });
});
