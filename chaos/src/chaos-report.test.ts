import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allHold, formatReport, type ChaosReport } from './chaos-report.js';

const report = (holds: boolean): ChaosReport => ({
  title: 'kill-and-recover',
  invariants: [{ name: 'every order is terminal within 60 s', holds, detail: holds ? '10 of 10' : '9 of 10' }],
  counts: { orders: 10 },
});

describe('chaos report', () => {
  it('holds only when every invariant of every part holds', () => {
    assert.equal(allHold([report(true), report(true)]), true);
    assert.equal(allHold([report(true), report(false)]), false);
  });

  it('prints each invariant with its verdict and detail, then the counts', () => {
    assert.equal(
      formatReport(report(false)),
      'kill-and-recover\n  ✗ every order is terminal within 60 s — 9 of 10\n  counts: orders 10',
    );
  });

  it('prints the command that replays a failed part, and nothing about replaying a part that held', () => {
    const replay = 'BAD_INPUT_SEED=42 npm run chaos -- --only bad-input --short';
    assert.match(formatReport({ ...report(false), replay }), /\n {2}replay: BAD_INPUT_SEED=42 npm run chaos -- --only bad-input --short$/);
    assert.doesNotMatch(formatReport({ ...report(true), replay }), /replay/);
  });
});
