import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { ExpiredGapSweep, type ExpiredGapSweepOptions } from './expired-gap-sweep.js';

/** Options whose database fails the test if the sweep touches it. */
function sweepOptions(steadyForMs: number): ExpiredGapSweepOptions {
  const untouched = new Proxy({} as DataSource, {
    get: (_target, property) => {
      throw new Error(`the sweep read the database (${String(property)}) while the consumer had not fetched for a whole bound`);
    },
  });
  return {
    consumer: 'gap-sweep-test',
    dataSource: untouched,
    deadLetters: undefined as never,
    metrics: undefined as never,
    clock: { now: () => new Date(), monotonicMs: () => 0 },
    holdBoundMs: 30_000,
    steadyForMs: () => steadyForMs,
    heldChanged: async () => undefined,
    logger: undefined as never,
  };
}

describe('ExpiredGapSweep', () => {
  it('expires nothing until the consumer has fetched for a whole bound without a break', async () => {
    // After a broker outage or a rejoin, the predecessor may still be on its way from a retry topic.
    assert.equal(await new ExpiredGapSweep(sweepOptions(0)).deadLetterExpiredGaps(), 0);
    assert.equal(await new ExpiredGapSweep(sweepOptions(29_999)).deadLetterExpiredGaps(), 0);
  });

  it('looks for expired gaps once it has', async () => {
    await assert.rejects(new ExpiredGapSweep(sweepOptions(30_000)).deadLetterExpiredGaps(), /the sweep read the database/);
  });
});
