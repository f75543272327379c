import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../clock/index.js';
import { SteadyConsumption } from './steady-consumption.js';

/** A clock that moves only when told to. */
function manualClock(): Clock & { advance(ms: number): void } {
  let ms = 0;
  return {
    now: () => new Date(ms),
    monotonicMs: () => ms,
    advance(by: number) {
      ms += by;
    },
  } as Clock & { advance(ms: number): void };
}

describe('SteadyConsumption', () => {
  it('counts the time since the first fetch of an unbroken run', () => {
    const clock = manualClock();
    const steady = new SteadyConsumption(clock, 10_000);
    assert.equal(steady.steadyForMs(), 0, 'nothing fetched yet');
    steady.fetched();
    for (let i = 0; i < 8; i += 1) {
      clock.advance(5_000);
      steady.fetched();
    }
    assert.equal(steady.steadyForMs(), 40_000);
  });

  it('starts again after a stall longer than the bound, as when the broker was away', () => {
    const clock = manualClock();
    const steady = new SteadyConsumption(clock, 10_000);
    steady.fetched();
    clock.advance(30_000);
    assert.equal(steady.steadyForMs(), 0, 'no fetch for 30 s: not consuming');
    steady.fetched();
    clock.advance(4_000);
    assert.equal(steady.steadyForMs(), 4_000, 'the run starts at the fetch after the stall');
  });

  it('starts again after a crash or a stop', () => {
    const clock = manualClock();
    const steady = new SteadyConsumption(clock, 10_000);
    steady.fetched();
    clock.advance(5_000);
    steady.fetched();
    steady.interrupted();
    assert.equal(steady.steadyForMs(), 0);
    clock.advance(1_000);
    steady.fetched();
    clock.advance(2_000);
    assert.equal(steady.steadyForMs(), 2_000);
  });
});
