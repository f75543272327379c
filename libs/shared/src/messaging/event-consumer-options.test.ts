import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_CONSUMER_DEFAULTS, sweepIntervalFor } from './event-consumer-options.js';

describe('event consumer options', () => {
  it('looks for expired gaps three times per hold bound, so a gap is dead-lettered at most a third of the bound late', () => {
    assert.equal(sweepIntervalFor(3_000), 1_000);
    assert.equal(sweepIntervalFor(EVENT_CONSUMER_DEFAULTS.holdBoundMs), 5_000);
  });

  it('never sweeps more often than every 100 ms nor less often than every 5 s', () => {
    assert.equal(sweepIntervalFor(30), 100);
    assert.equal(sweepIntervalFor(3_600_000), 5_000);
  });
});
