import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideOrdering } from './ordering-decision.js';

describe('ordering guard decision', () => {
  it('applies the first event of an aggregate it has never seen', () => {
    assert.equal(decideOrdering(0, 1), 'apply');
  });

  it('applies exactly the next sequence after the last one applied', () => {
    assert.equal(decideOrdering(4, 5), 'apply');
  });

  it('skips as a duplicate an event at or below the last sequence applied', () => {
    assert.equal(decideOrdering(4, 4), 'duplicate');
    assert.equal(decideOrdering(4, 1), 'duplicate');
  });

  it('holds an event that arrives before the one it follows', () => {
    assert.equal(decideOrdering(0, 2), 'hold');
    assert.equal(decideOrdering(4, 9), 'hold');
  });

  it('gives, for every pair of sequences, exactly the answer the sequence arithmetic implies', () => {
    for (let last = 0; last <= 20; last += 1) {
      for (let sequence = 1; sequence <= 22; sequence += 1) {
        const expected = sequence === last + 1 ? 'apply' : sequence <= last ? 'duplicate' : 'hold';
        assert.equal(decideOrdering(last, sequence), expected, `last ${last}, sequence ${sequence}`);
      }
    }
  });
});
