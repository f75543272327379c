import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lagOf } from './consumer-lag.js';

describe("a consumer group's lag", () => {
  it('adds up, per partition, the records past the committed offset', () => {
    const ends = [
      { partition: 0, offset: '120' },
      { partition: 1, offset: '80' },
    ];
    assert.equal(lagOf(ends, [{ partition: 0, offset: '100' }, { partition: 1, offset: '80' }]), 20);
  });

  it('counts a whole partition the group never committed on', () => {
    assert.equal(lagOf([{ partition: 0, offset: '50' }], [{ partition: 0, offset: '-1' }]), 50);
    assert.equal(lagOf([{ partition: 0, offset: '50' }], []), 50);
  });
});
