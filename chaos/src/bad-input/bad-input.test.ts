import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport } from '../chaos-report.js';
import { shortBadInputProfile } from './bad-input-profile.js';
import { runBadInput } from './bad-input.js';

// The short profile of the bad input against the four services started as processes, on the real
// PostgreSQL and Kafka, with a new fast-check seed every run. The report is printed every time (its
// title names the seed); a failing invariant also prints the narration, and the report then ends
// with the command that replays the run with the same seed.
describe('bad input (short profile)', () => {
  it('answers no input with a 5xx, rejects bad input with problem+json, refuses every bad token with 401, and dead-letters every bad event', async () => {
    const lines: string[] = [];
    const report = await runBadInput(shortBadInputProfile(), (line) => lines.push(line));
    const text = formatReport(report);
    console.log(text);
    const failed = report.invariants.filter((invariant) => !invariant.holds);
    assert.deepEqual(failed.map((invariant) => invariant.name), [], `${text}\n\nnarration:\n${lines.join('\n')}`);
  });
});
