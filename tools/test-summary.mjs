// The closing line of `npm test`, counted from the TAP files of every test run (Node's runner writes
// `# pass N`, `# fail N`, `# cancelled N`, `# skipped N` and `# todo N` at the end of each).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const COUNTS = ['pass', 'fail', 'cancelled', 'skipped', 'todo'];

/** Every TAP file under `dir`, the watchdog's failures (`*.tap.watchdog`) included. */
function* tapFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tapFiles(path);
    else if (/\.tap(\.watchdog)?$/.test(entry.name)) yield path;
  }
}

/** Adds up the counts of TAP texts; a TAP file without its closing counts adds nothing. */
export function countTap(texts) {
  const totals = Object.fromEntries(COUNTS.map((key) => [key, 0]));
  for (const tap of texts) {
    for (const key of COUNTS) totals[key] += Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  }
  return totals;
}

/**
 * What the run comes to: a cancelled test (its file died or was killed under it) counts as failed,
 * and a skipped one fails the run too, since a test that cannot reach its infrastructure must fail,
 * never skip. `lines` end with the one `N passed, N failed, N skipped` line.
 */
export function summarizeTap(totals) {
  const failed = totals.fail + totals.cancelled;
  return {
    ok: failed === 0 && totals.skipped === 0,
    failed,
    skipped: totals.skipped,
    lines: [`${totals.cancelled} cancelled (counted as failed), ${totals.todo} todo`, `${totals.pass} passed, ${failed} failed, ${totals.skipped} skipped`],
  };
}

export function summarizeResults(dir) {
  const texts = existsSync(dir) ? [...tapFiles(dir)].map((file) => readFileSync(file, 'utf8')) : [];
  return summarizeTap(countTap(texts));
}
