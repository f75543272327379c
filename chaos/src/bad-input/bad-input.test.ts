import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport } from '../chaos-report.js';
import { shortBadInputProfile } from './bad-input-profile.js';
import { runBadInput } from './bad-input.js';

// The short profile of issue 8's bad input against the four services started as processes, on the
// real PostgreSQL and Kafka. A failing invariant prints the whole report: the fast-check seed and
// counterexample, the dead letters that are missing or wrong, and the counts.
describe('bad input (short profile)', () => {
  it('answers no input with a 5xx, rejects bad input with problem+json, refuses every bad token with 401, and dead-letters every bad event', async () => {
    const lines: string[] = [];
    const report = await runBadInput(shortBadInputProfile(), (line) => lines.push(line));
    const failed = report.invariants.filter((invariant) => !invariant.holds);
    assert.deepEqual(failed.map((invariant) => invariant.name), [], `${formatReport(report)}\n\nnarration:\n${lines.join('\n')}`);
  });
});
