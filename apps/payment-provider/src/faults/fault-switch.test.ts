import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_FAULTS } from './fault-set.js';
import { FaultSwitch } from './fault-switch.js';

describe('FaultSwitch', () => {
  it('leaves requests untouched while no fault is on', () => {
    const faults = new FaultSwitch();
    assert.deepEqual(faults.current(), NO_FAULTS);
    assert.equal(faults.takeForRequest().hang, false);
  });

  it('replaces the faults on every set, turning off the switches it leaves out', () => {
    const faults = new FaultSwitch();
    faults.set({ hang: true, latencyMs: 200 });
    faults.set({ decline: true });
    const taken = faults.takeForRequest();
    assert.equal(taken.decline, true);
    assert.equal(taken.hang, false);
    assert.equal(taken.latencyMs, 0);
  });

  it('applies faults with `times` to that many requests, then clears itself', () => {
    const faults = new FaultSwitch();
    faults.set({ corruptBody: true, times: 2 });
    assert.equal(faults.current().times, 2);
    assert.equal(faults.takeForRequest().corruptBody, true);
    assert.equal(faults.current().times, 1);
    assert.equal(faults.takeForRequest().corruptBody, true);
    assert.equal(faults.takeForRequest().corruptBody, false);
    assert.equal(faults.current().corruptBody, false);
    assert.equal(faults.current().times, undefined);
  });

  it('fails the share of requests that errorRate asks for, drawn per request', () => {
    const draws = [0.1, 0.6, 0.39, 0.4];
    const faults = new FaultSwitch(() => draws.shift() ?? 1);
    faults.set({ errorRate: 0.4 });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => faults.takeForRequest().failWith5xx),
      [true, false, true, false],
    );
  });

  it('clears every fault at once', () => {
    const faults = new FaultSwitch();
    faults.set({ hang: true, errorRate: 1, times: 5 });
    faults.clear();
    assert.equal(faults.takeForRequest().failWith5xx, false);
    assert.equal(faults.current().times, undefined);
  });
});
