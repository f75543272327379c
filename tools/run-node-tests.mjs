#!/usr/bin/env node
// Runs one project's compiled tests with Node's built-in test runner:
//   node tools/run-node-tests.mjs <projectRoot> [--only <substring>[,<substring>…]] [--lane unit|infrastructure] [--file-timeout <minutes>]
// Test files are `*.test.ts` beside the code they prove, compiled to `<projectRoot>/dist/**/*.test.js`
// (plus plain `*.test.mjs` files for projects without a build, such as infra/). Node 20 has no glob
// for `--test`, so the files are listed here.
//
// Each file runs in a process of its own, one after another: the suites share the machine's ports,
// consumer groups and infrastructure, so two of their files never run at once. Every file runs under a
// watchdog: one that has not exited within its budget (a hung test, or a handle left open after
// its last test) is killed with everything it started, and counted as a failure under its name.
// A TAP copy of each file's run goes to .faultline/test-results/ so `npm test` prints one total.
//
// `--lane` (or FAULTLINE_TEST_LANE) runs one of the two kinds of test file (see needsInfrastructure):
// `npm test` runs the unit lane of every project beside the infrastructure lane, since a unit test
// shares nothing with the others.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { only: { type: 'string' }, lane: { type: 'string' }, 'file-timeout': { type: 'string' } },
});
const [projectRoot] = positionals;
if (!projectRoot) {
  console.error('usage: node tools/run-node-tests.mjs <projectRoot> [--only <substring>[,…]] [--lane unit|infrastructure] [--file-timeout <minutes>]');
  process.exit(2);
}
const only = (options.only ?? process.env.FAULTLINE_TEST_ONLY)?.split(',').filter(Boolean);
const LANES = ['unit', 'infrastructure'];
const lane = options.lane ?? process.env.FAULTLINE_TEST_LANE;
if (lane !== undefined && !LANES.includes(lane)) {
  console.error(`--lane takes ${LANES.join(' or ')}, not "${lane}"`);
  process.exit(2);
}
/** A file's budget: the longest file (the short chaos run) takes about 10 minutes on a busy 2-core machine. */
const fileTimeoutMs = Number(options['file-timeout'] ?? process.env.FAULTLINE_TEST_FILE_TIMEOUT_MIN ?? 15) * 60_000;
if (!(fileTimeoutMs > 0)) {
  console.error(`--file-timeout takes a number of minutes, not "${options['file-timeout']}"`);
  process.exit(2);
}
/** One test's own bound, for tests that set none: a test that waits forever fails instead. */
const TEST_TIMEOUT_MS = 10 * 60_000;
/** After SIGTERM, how long the file's processes get before SIGKILL. */
const KILL_GRACE_MS = 5_000;
// Several runs of one project (the time tests under three time zones) keep TAP files of their own.
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

/**
 * Whether a test file needs the running infrastructure (PostgreSQL, Kafka, Temporal, Jaeger, the
 * time-skipping test server, a fixed port) or starts services: every file of the projects that
 * exist to drive the system, and elsewhere every file named for it — `*.integration.test.ts`,
 * `*.http.test.ts`, `*.workflow.test.ts`, `*.replay.test.ts`, `*.bench.test.ts`. Any other file is a
 * unit test of pure logic: it must pass with nothing running (an in-memory fake at most).
 */
const INFRASTRUCTURE_PROJECTS = new Set(['scenarios', 'chaos', 'infra', 'infra/tests', 'tools']);
const INFRASTRUCTURE_FILE = /\.(integration|http|workflow|replay|bench)\.test\.m?js$/;
function needsInfrastructure(project, file) {
  return INFRASTRUCTURE_PROJECTS.has(project) || INFRASTRUCTURE_FILE.test(file);
}

const compiled = join(root, 'dist');
const files = [
  ...(existsSync(compiled) ? [...walk(compiled)].filter((f) => f.endsWith('.test.js')) : []),
  ...[...walk(root)].filter((f) => f.endsWith('.test.mjs') && !f.startsWith(compiled)),
]
  .filter((f) => !only || only.some((part) => f.includes(part)))
  .filter((f) => lane === undefined || needsInfrastructure(relative(workspace, root), f) === (lane === 'infrastructure'))
  .sort();

if (files.length === 0 && lane !== undefined) {
  console.log(`${projectRoot}: no ${lane} test files`);
  process.exit(0);
}
if (files.length === 0) {
  // A project with no tests is a gap to fix, not a pass to report.
  console.error(`${projectRoot}: no test files found${only ? ` matching ${only.join(', ')}` : ''} (did the build run?)`);
  process.exit(1);
}

// FAULTLINE_TEST_RESULTS moves the TAP files elsewhere: the runner's own test uses it for its fixtures.
const resultsRoot = process.env.FAULTLINE_TEST_RESULTS ?? join(workspace, '.faultline', 'test-results');
const results = join(resultsRoot, `${relative(workspace, root).replaceAll('/', '-').replaceAll('.', '')}${label}`);
mkdirSync(results, { recursive: true });

/** The file running now, so an interrupted run ends its processes too. */
let current;

/** Runs one file under the watchdog; resolves with its exit code, or 'timed-out'. */
function runFile(file, tap) {
  return new Promise((resolveRun) => {
    // Its own process group, so the watchdog can end the file and whatever it spawned (services).
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--test',
        '--test-concurrency=1',
        `--test-timeout=${TEST_TIMEOUT_MS}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        relative(workspace, file),
      ],
      { cwd: workspace, stdio: 'inherit', detached: true },
    );
    current = child;
    let timedOut = false;
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const watchdog = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
    }, fileTimeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      // Whatever the file left behind in its group goes with it.
      signalGroup('SIGKILL');
      resolveRun(timedOut ? 'timed-out' : (code ?? (signal ? 1 : 0)));
    });
  });
}

const stopping = () => {
  if (current?.pid) {
    try {
      process.kill(-current.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(130);
};
process.on('SIGINT', stopping);
process.on('SIGTERM', stopping);

let failedFiles = 0;
for (const file of files) {
  const name = relative(workspace, file);
  const tap = join(results, `${relative(root, file).replaceAll('/', '-')}.tap`);
  const started = Date.now();
  const outcome = await runFile(file, tap);
  if (outcome === 'timed-out') {
    failedFiles += 1;
    const message = `${name} did not exit within ${fileTimeoutMs / 60_000} min: killed with everything it started (a hung test, or a handle left open after its last test)`;
    console.error(`✗ ${message}`);
    // The file's own TAP may hold its passes; the watchdog's failure is counted on top of them.
    writeFileSync(`${tap}.watchdog`, `TAP version 13\nnot ok 1 - ${name}\n  ---\n  error: '${message.replaceAll("'", "''")}'\n  ...\n1..1\n# tests 1\n# pass 0\n# fail 1\n`);
  } else if (outcome !== 0) {
    failedFiles += 1;
    console.error(`✗ ${name} failed (exit ${outcome}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}
if (failedFiles > 0) console.error(`${projectRoot}: ${failedFiles} of ${files.length} test files failed`);
process.exit(failedFiles > 0 ? 1 : 0);
