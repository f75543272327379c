import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuSecondsFromStat } from './process-cpu.js';

describe("a process's CPU time from /proc/<pid>/stat", () => {
  it('adds user and system ticks, in hundredths of a second', () => {
    const stat = '862 (temporal) S 1 862 862 0 -1 4194560 93051 0 0 0 1234 566 0 0 20 0 14 0 3021 2 3 4';
    assert.equal(cpuSecondsFromStat(stat), 18);
  });

  it('reads past a command name with spaces and parentheses in it', () => {
    const stat = '42 (node (worker) x) R 1 42 42 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 1 2 3';
    assert.equal(cpuSecondsFromStat(stat), 3);
  });

  it('refuses text that is not a stat line', () => {
    assert.throws(() => cpuSecondsFromStat('nothing here'), /not a \/proc/);
  });
});
