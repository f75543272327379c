import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BenchEnvironment } from './bench-environment.js';
import { eventStoreAppend } from './event-store-append.bench.js';
import { textTable } from './figures.js';

// The one benchmark smoke test: the fastest benchmark, quick mode, on the real PostgreSQL. It checks
// that a figure comes out, never how fast: timing assertions fail on a busy machine, not on a bug.
describe('event-store append benchmark (quick, real PostgreSQL)', () => {
  let bench: BenchEnvironment;
  before(async () => {
    bench = await BenchEnvironment.open();
  });
  after(async () => {
    await bench.close();
  });

  it('measures positive events/s for our event store and for Emmett, and prints them in the table', async () => {
    const lines: string[] = [];
    const outcome = await eventStoreAppend.run({ bench, quick: true, log: (line) => lines.push(line) });
    assert.equal(outcome.figures.length, 2);
    for (const figure of outcome.figures) {
      assert.ok(figure.ours !== null && figure.ours > 0, `${figure.name}: ours is ${figure.ours}`);
      assert.ok(figure.baseline !== null && figure.baseline > 0, `${figure.name}: baseline is ${figure.baseline}`);
    }
    assert.match(textTable(outcome.figures), /event-store append, 1 event per append \(events\/s\)\s+[1-9][\d,]*\s/);
    assert.equal(lines.length, 3, 'one progress line per repetition');
  });
});
