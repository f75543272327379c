// The docs name only what is in the repository: every relative link of a committed Markdown file,
// and every repository path it quotes in backticks (`apps/orders/src/…`), exists. A page that cites
// a moved or deleted file misleads the reader who follows it, and nothing else would notice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Recorded benchmark runs keep the words of the day they ran. */
const RECORDS = /^bench\/results\//;
const LINK = /\]\(([^)#\s]+)(#[^)]*)?\)/g;
const QUOTED_PATH = /`((?:apps|libs|infra|tools|scenarios|chaos|bench|docs)\/[A-Za-z0-9_./-]+)`/g;

function markdownFiles() {
  const listed = spawnSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' });
  assert.equal(listed.status, 0, `git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\n').filter((file) => file !== '' && !RECORDS.test(file));
}

/** The paths a page (its repository path and text) names that do not exist, as `page: target`. */
function missingPaths(file, text = readFileSync(join(root, file), 'utf8')) {
  const missing = [];
  for (const [, target] of text.matchAll(LINK)) {
    if (/^[a-z]+:/i.test(target)) continue;
    if (!existsSync(normalize(join(root, dirname(file), target)))) missing.push(`${file}: (${target})`);
  }
  for (const [, quoted] of text.matchAll(QUOTED_PATH)) {
    const path = quoted.replace(/\.$/, '');
    // A pattern or a placeholder (`apps/*/dist`, `bench/results/<ISO time>.json`) names no one file,
    // and build output (`apps/billing/dist`) exists only after a build.
    if (/[*<{]/.test(path) || /(^|\/)dist(\/|$)/.test(path)) continue;
    if (!existsSync(join(root, path))) missing.push(`${file}: \`${path}\``);
  }
  return missing;
}

describe('the docs name only what exists', () => {
  it('every relative link and quoted repository path of a Markdown page exists', () => {
    const files = markdownFiles();
    assert.ok(files.length > 10, `expected the repository's Markdown pages, found ${files.length}`);
    assert.deepEqual(files.flatMap((file) => missingPaths(file)), []);
  });

  it('notices a page that cites a file that is not there', () => {
    const text = 'See [the relay](../libs/shared/src/outbox/no-such-relay.ts), [the outbox](../libs/shared/src/outbox/outbox.ts) and `apps/orders/src/gone.ts`.';
    assert.deepEqual(missingPaths('docs/probe.md', text), [
      'docs/probe.md: (../libs/shared/src/outbox/no-such-relay.ts)',
      'docs/probe.md: `apps/orders/src/gone.ts`',
    ]);
  });
});
