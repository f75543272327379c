// A newcomer who knows a pattern's name finds its code from the README alone: the "Where each
// pattern lives" table names one folder per pattern, that folder holds the main file it names, and
// the proof it names is a test file that exists.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECTION = '## Where each pattern lives';
/** The patterns a reader of the articles looks for first, each as words its row's name contains. */
const REQUIRED = ['outbox', 'inbox', 'ordering guard', 'dead letter', 'circuit breaker', 'consistency token', 'replica router', 'idempotent', 'saga'];

/** The table's rows as { pattern, folder, main, proof }, the backticked paths without their links. */
function patternIndex(readme) {
  const start = readme.indexOf(SECTION);
  assert.ok(start >= 0, `README.md has no "${SECTION}" section`);
  const next = readme.indexOf('\n## ', start + SECTION.length);
  const rows = readme
    .slice(start, next === -1 ? undefined : next)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| pattern') && !line.startsWith('|---'));
  return rows.map((line) => {
    const [pattern, folder, main, , proof] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const path = (cell) => /`([^`]+)`/.exec(cell)?.[1] ?? '';
    return { pattern, folder: path(folder), main: path(main), proof: path(proof) };
  });
}

describe("the README's pattern index", () => {
  const rows = patternIndex(readFileSync(join(root, 'README.md'), 'utf8'));

  it('names each pattern a reader looks for, once', () => {
    for (const name of REQUIRED) {
      const matching = rows.filter((row) => row.pattern.toLowerCase().includes(name));
      assert.equal(matching.length, 1, `"${name}": ${matching.length} rows (${matching.map((row) => row.pattern).join('; ')})`);
    }
  });

  it("names one folder per pattern, the folder holds the pattern's main file, and the proof is a test that exists", () => {
    assert.ok(rows.length >= REQUIRED.length);
    for (const { pattern, folder, main, proof } of rows) {
      assert.match(folder, /^(libs|apps)\/[\w/-]+\/$/, `${pattern}: one folder, as a path ending in /`);
      assert.ok(existsSync(join(root, folder, main)), `${pattern}: ${folder}${main} does not exist`);
      assert.match(proof, /\.test\.(ts|mjs)$/, `${pattern}: the proof is a test file`);
      assert.ok(existsSync(join(root, proof)), `${pattern}: ${proof} does not exist`);
    }
  });
});
