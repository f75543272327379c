import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseCompletions } from './completion-summary.js';

describe('a batch of workflow completions', () => {
  it('counts throughput from the first request to the last close, queueing included', () => {
    const summary = summariseCompletions([
      { submittedAt: 1_000, startedAt: 1_100, closedAt: 1_500 },
      { submittedAt: 1_010, startedAt: 1_200, closedAt: 2_000 },
      { submittedAt: 1_020, startedAt: 1_900, closedAt: 3_000 },
      { submittedAt: 1_030, startedAt: 2_000, closedAt: 2_500 },
    ]);
    assert.equal(summary.completions, 4);
    assert.equal(summary.throughputPerSecond, 2);
  });

  it('reports start → close and request → close percentiles as durations that were observed', () => {
    const completions = Array.from({ length: 100 }, (_, i) => ({ submittedAt: 0, startedAt: 10, closedAt: 10 + (i + 1) * 2 }));
    const summary = summariseCompletions(completions);
    assert.equal(summary.startToCloseP50Ms, 100);
    assert.equal(summary.startToCloseP99Ms, 198);
    assert.equal(summary.submitToCloseP50Ms, 110);
    assert.equal(summary.submitToCloseP99Ms, 208);
  });

  it('refuses an empty batch instead of reporting zero completions per second', () => {
    assert.throws(() => summariseCompletions([]), /measured nothing/);
  });
});
