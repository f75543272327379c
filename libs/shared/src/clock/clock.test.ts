import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, SkewedClock } from './clock.js';

describe('SkewedClock', () => {
  it('reports the base time shifted by the configured skew, in both directions', () => {
    const base = new ManualClock(new Date('2026-03-08T06:59:30Z'));
    const skewed = new SkewedClock(base, -31_000);
    assert.equal(skewed.now().toISOString(), '2026-03-08T06:58:59.000Z');
    skewed.setSkew(29_000);
    assert.equal(skewed.now().toISOString(), '2026-03-08T06:59:59.000Z');
  });

  it('does not skew durations measured on the monotonic clock', () => {
    const base = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const skewed = new SkewedClock(base, 5 * 60_000);
    const start = skewed.monotonicMs();
    base.advance(1_500);
    assert.equal(skewed.monotonicMs() - start, 1_500);
  });
});

describe('ManualClock', () => {
  it('refuses to move backwards through advance, so a test cannot fake a negative duration', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    assert.throws(() => clock.advance(-1), RangeError);
  });
});
