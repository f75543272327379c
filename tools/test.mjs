#!/usr/bin/env node
// `npm test`: build, bring up the infrastructure the tests need, lint, run every project's tests,
// and end with one total line. Runs after tools/bootstrap.mjs has installed the dependencies.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCommandLine } from './command-line.mjs';
import { summarizeResults } from './test-summary.mjs';

readCommandLine({
  invocation: 'npm test --',
  usage: `usage: npm test

Installs the dependencies if needed, brings the infrastructure up, builds, lints, runs every
project's tests (the unit tests beside the ones on the infrastructure, the time tests again under
three time zones) and ends with one total line.
The infrastructure stays up afterwards (npm run infra:down stops it). Takes no arguments.

options:
  -h, --help    print this text

environment:
  FAULTLINE_INFRA=external   use the infrastructure already running (docker compose) instead of provisioning it
  OTEL_SDK_DISABLED=false    trace every service the suites start (default: only the tests of tracing do)

examples:
  npm test                                                   # everything (about 24 minutes the first time)
  FAULTLINE_INFRA=external npm test                          # against docker compose's containers
  node tools/run-node-tests.mjs apps/billing --only reports  # some of a project's test files (after a build)`,
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, '.faultline', 'test-results');
// Nx's daemon and cloud add nothing to a one-shot run on a 2-core machine. The services the
// suites start run untraced unless the caller says otherwise: tracing every request of the fuzzing
// and the chaos run costs the suite minutes (a full chaos run took 35 % longer traced), and the tests
// of tracing itself turn it on for the services they start (scenarios/src/tracing, libs/shared/src/tracing).
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? 'true' };

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    console.error(`✗ ${title} failed after ${seconds} s`);
    summarize();
    process.exit(run.status ?? 1);
  }
  console.log(`✓ ${title} (${seconds} s)`);
}

function summarize() {
  const summary = summarizeResults(results);
  console.log(`\n${summary.lines.join('\n')}`);
  return summary;
}

/**
 * Every project's root (a folder with a project.json, at the top or one level down). Which of their
 * files are unit tests is tools/run-node-tests.mjs's call alone: a project with none says so and passes.
 */
function projectRoots() {
  const projectsIn = (folder) =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => (folder === '.' ? entry.name : `${folder}/${entry.name}`));
  return [...projectsIn('.'), ...projectsIn('.').flatMap(projectsIn)].filter((folder) => existsSync(join(root, folder, 'project.json'))).sort();
}

/** Runs a command to its end without blocking this process, so two can run at once. */
function run(command, args, options) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, env, ...options });
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
  });
}

/**
 * The tests, in two lanes at once. The infrastructure lane (every file that needs PostgreSQL,
 * Kafka, Temporal or services, one at a time, project by project through Nx) prints as it goes;
 * the unit lane (pure logic, nothing shared: tools/run-node-tests.mjs says which file is which)
 * runs beside it, its output kept in a log that is printed only if one of its files fails. On 2
 * cores this takes about two minutes off the suite: the infrastructure lane mostly waits.
 */
async function testLanes() {
  console.log('\n▶ tests');
  const started = Date.now();
  mkdirSync(results, { recursive: true });
  const unitLog = join(results, 'unit-lane.log');
  const unitOutput = openSync(unitLog, 'w');
  const unitLane = (async () => {
    let failed = 0;
    for (const project of projectRoots()) {
      const code = await run(process.execPath, [join(root, 'tools', 'run-node-tests.mjs'), project, '--lane', 'unit'], { stdio: ['ignore', unitOutput, unitOutput] });
      if (code !== 0) failed += 1;
    }
    return failed;
  })();
  // The build step above built every project: without --excludeTaskDependencies, Nx would run each
  // test target's build again and restore its outputs from the cache, rewriting dist/ under the
  // unit lane's feet.
  const infrastructureLane = run('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=static', '--parallel=1', '--excludeTaskDependencies'], {
    stdio: 'inherit',
    env: { ...env, FAULTLINE_TEST_LANE: 'infrastructure' },
  });
  const [unitProjectsFailed, infrastructureCode] = await Promise.all([unitLane, infrastructureLane]);
  closeSync(unitOutput);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (unitProjectsFailed > 0) {
    console.error(`\n✗ unit tests failed in ${unitProjectsFailed} project(s); their output (${unitLog}):\n`);
    console.error(readFileSync(unitLog, 'utf8'));
  }
  if (unitProjectsFailed > 0 || infrastructureCode !== 0) {
    console.error(`✗ tests failed after ${seconds} s`);
    summarize();
    process.exit(1);
  }
  console.log(`✓ tests (${seconds} s; the unit lane's output: ${unitLog})`);
}

rmSync(results, { recursive: true, force: true });
if (process.env.FAULTLINE_INFRA === 'external') {
  // Someone else runs the infrastructure (docker compose, say). The time-skipping test server is the
  // one piece the tests start themselves, so only its launcher is prepared here.
  step('time-skipping test server launcher', process.execPath, [join(root, 'infra', 'native', 'cli.mjs'), 'up', 'temporal-test-server']);
} else {
  step('infrastructure (npm run infra:up)', process.execPath, [join(root, 'infra', 'native', 'cli.mjs'), 'up']);
}
step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static', '--parallel=2']);
step('lint', 'npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static', '--parallel=2']);
await testLanes();

// Article 9: the suite must not depend on the machine's zone. The tests above ran under whatever TZ
// this machine has; the time tests run again under UTC and two zones that catch most slips: Kiritimati
// (UTC+14, its local date is a day ahead of UTC for ten hours a day) and St John's (UTC−03:30 with DST,
// a half-hour offset that breaks "hours since midnight" arithmetic).
const timeTests = [
  { project: 'libs/shared', only: '/time/' },
  { project: 'apps/billing', only: '/billing-run/,/reports/' },
  { project: 'apps/notifications', only: '/quiet-hours,/delivery-decision,/email-templates' },
];
for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/St_Johns']) {
  for (const { project, only } of timeTests) {
    env.TZ = zone;
    env.FAULTLINE_TEST_LABEL = `tz-${zone.replaceAll('/', '-')}`;
    step(`time tests of ${project} under TZ=${zone}`, process.execPath, [join(root, 'tools', 'run-node-tests.mjs'), project, '--only', only]);
  }
}
delete env.TZ;
delete env.FAULTLINE_TEST_LABEL;
console.log('\nThe infrastructure is still running, so the next run starts fast: `npm run infra:down` stops it.');
// The total is the last line, as CI and a reader look for it.
const { ok, failed, skipped } = summarize();
if (!ok) {
  console.error(skipped > 0 ? `✗ ${skipped} test(s) skipped: a test that cannot run must fail, not skip` : `✗ ${failed} test(s) failed`);
  process.exit(1);
}
