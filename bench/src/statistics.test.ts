import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, percentile, ratePerSecond } from './statistics.js';

describe('statistics', () => {
  it('reports an observed value as the percentile, by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(values, 0.5), 50);
    assert.equal(percentile(values, 0.99), 99);
    assert.equal(percentile(values, 1), 100);
    assert.equal(percentile([7], 0.99), 7);
  });

  it('takes the middle repetition as the median, and the mean of the two middle ones for an even count', () => {
    assert.equal(median([3, 100, 1]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('refuses to summarise an empty measurement instead of reporting zero', () => {
    assert.throws(() => percentile([], 0.5), /measured nothing/);
    assert.throws(() => median([]), /measured nothing/);
  });

  it('turns a count and a duration into events per second', () => {
    assert.equal(ratePerSecond(500, 250), 2000);
    assert.throws(() => ratePerSecond(1, 0), /positive duration/);
  });
});
