import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateOffset, type ClockExchange } from './offset-estimate.js';

/** An exchange with a peer `offsetMs` ahead, legs of `outMs` and `backMs`, and `processingMs` at the peer. */
function exchange(t0: number, offsetMs: number, outMs: number, backMs: number, processingMs = 2): ClockExchange {
  const t1 = t0 + outMs + offsetMs;
  const t2 = t1 + processingMs;
  return { t0, t1, t2, t3: t0 + outMs + processingMs + backMs };
}

describe('estimateOffset', () => {
  it('recovers the exact offset when both network legs take equally long', () => {
    assert.deepEqual(estimateOffset([exchange(1_000, 31_000, 40, 40)]), { offsetMs: 31_000, delayMs: 80, errorBoundMs: 40 });
    assert.equal(estimateOffset([exchange(1_000, -2_500, 7, 7)]).offsetMs, -2_500);
  });

  it('keeps the exchange with the smallest delay, whose error bound is tightest', () => {
    const lopsided = exchange(1_000, 31_000, 900, 10); // off by 445 ms
    const quiet = exchange(5_000, 31_000, 6, 4); // off by 1 ms
    const estimate = estimateOffset([lopsided, quiet, exchange(9_000, 31_000, 300, 20)]);
    assert.equal(estimate.delayMs, 10);
    assert.equal(estimate.offsetMs, 31_001);
    assert.ok(Math.abs(estimate.offsetMs - 31_000) <= estimate.errorBoundMs);
  });

  it('ignores an exchange with a negative delay and refuses to estimate from nothing', () => {
    const stepped = { t0: 0, t1: 10_000, t2: 20_000, t3: 50 }; // the peer's clock jumped mid-exchange
    assert.equal(estimateOffset([stepped, exchange(0, 100, 5, 5)]).offsetMs, 100);
    assert.throws(() => estimateOffset([]), RangeError);
  });
});
