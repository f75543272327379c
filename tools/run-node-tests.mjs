#!/usr/bin/env node
// Runs one project's compiled tests with Node's built-in test runner:
//   node tools/run-node-tests.mjs <projectRoot> [--only <substring>[,<substring>…]]
// Test files are `*.test.ts` beside the code they prove, compiled to `<projectRoot>/dist/**/*.test.js`
// (plus plain `*.test.mjs` files for projects without a build, such as infra/). Node 20 has no glob
// for `--test`, so the files are listed here. A TAP copy of the run goes to .faultline/test-results/
// so `npm test` can print one total at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const [projectRoot, ...rest] = process.argv.slice(2);
if (!projectRoot) {
  console.error('usage: node tools/run-node-tests.mjs <projectRoot> [--only <substring>]');
  process.exit(2);
}
const only = (rest[0] === '--only' ? rest[1] : process.env.FAULTLINE_TEST_ONLY)?.split(',').filter(Boolean);
// Several runs of one project (the time tests under three time zones) keep a TAP file each.
const label = process.env.FAULTLINE_TEST_LABEL ? `.${process.env.FAULTLINE_TEST_LABEL}` : '';
const workspace = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const root = resolve(workspace, projectRoot);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const compiled = join(root, 'dist');
const files = [
  ...(existsSync(compiled) ? [...walk(compiled)].filter((f) => f.endsWith('.test.js')) : []),
  ...[...walk(root)].filter((f) => f.endsWith('.test.mjs') && !f.startsWith(compiled)),
]
  .filter((f) => !only || only.some((part) => f.includes(part)))
  .sort();

if (files.length === 0) {
  // A project with no tests is a gap to fix, not a pass to report.
  console.error(`${projectRoot}: no test files found${only ? ` matching ${only.join(', ')}` : ''} (did the build run?)`);
  process.exit(1);
}

const results = join(workspace, '.faultline', 'test-results');
mkdirSync(results, { recursive: true });
const tap = join(results, `${basename(root)}${label}.tap`);
const run = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files.map((f) => relative(workspace, f)),
  ],
  { cwd: workspace, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
