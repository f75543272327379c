// The test runner's own guarantees: a file that hangs, or passes and then never exits, fails under
// its name instead of holding the suite; whatever it started dies with it; each lane runs its own
// files and no others; and the closing line counts cancelled tests as failed and refuses skipped ones.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { countTap, summarizeResults, summarizeTap } from './test-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, '.faultline', 'tmp');

/**
 * The runner's environment as a shell would give it: without this file's own test-runner context,
 * and without the lane `npm test` runs this file in.
 */
function shellEnv(results) {
  const env = { ...process.env, FAULTLINE_TEST_RESULTS: results, FAULTLINE_TEST_LABEL: '' };
  delete env.NODE_TEST_CONTEXT;
  delete env.FAULTLINE_TEST_LANE;
  return env;
}

describe('the test runner', () => {
  let project;
  let results;
  let run;

  before(() => {
    mkdirSync(scratch, { recursive: true });
    project = mkdtempSync(join(scratch, 'runner-'));
    results = join(project, 'results');
    writeFileSync(join(project, 'a-passes.test.mjs'), "import { it } from 'node:test';\nit('passes', () => {});\n");
    // Passes, then keeps the process alive with an open handle and a child process of its own.
    writeFileSync(
      join(project, 'b-never-exits.test.mjs'),
      [
        "import { spawn } from 'node:child_process';",
        "import { writeFileSync } from 'node:fs';",
        "import { it } from 'node:test';",
        "it('passes but leaves a handle open', () => {",
        "  const child = spawn('sleep', ['600'], { stdio: 'ignore' });",
        `  writeFileSync(${JSON.stringify(join(project, 'child.pid'))}, String(child.pid));`,
        '  setInterval(() => {}, 1_000);',
        '});',
        '',
      ].join('\n'),
    );
    writeFileSync(join(project, 'c-after.test.mjs'), "import { it } from 'node:test';\nit('still runs after the hung file', () => {});\n");
    const started = Date.now();
    const result = spawnSync(process.execPath, [join(root, 'tools', 'run-node-tests.mjs'), project, '--file-timeout', '0.1'], {
      cwd: root,
      encoding: 'utf8',
      env: shellEnv(results),
      timeout: 120_000,
    });
    run = { ...result, seconds: (Date.now() - started) / 1_000 };
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('fails a file that does not exit, naming it, and goes on with the next file', () => {
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /b-never-exits\.test\.mjs did not exit within 0\.1 min/);
    assert.match(run.stdout, /still runs after the hung file/);
    assert.ok(run.seconds < 60, `the watchdog ended the run after ${run.seconds} s`);
  });

  it('kills what the hung file started', async () => {
    const pid = Number(readFileSync(join(project, 'child.pid'), 'utf8'));
    // A killed process is gone once its new parent has reaped it; until then it is a zombie.
    const gone = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
      } catch {
        return true;
      }
    };
    for (let waited = 0; !gone() && waited < 5_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(gone(), `process ${pid} outlived its test file`);
  });

  it('counts the hung file as a failure in the closing line', () => {
    const summary = summarizeResults(results);
    assert.equal(summary.ok, false);
    assert.ok(summary.failed >= 1, summary.lines.join('\n'));
    assert.match(summary.lines.at(-1), /^\d+ passed, \d+ failed, 0 skipped$/);
  });
});

describe('the lanes', () => {
  let project;
  const ran = (lane) => {
    const result = spawnSync(process.execPath, [join(root, 'tools', 'run-node-tests.mjs'), project, '--lane', lane], {
      cwd: root,
      encoding: 'utf8',
      env: shellEnv(join(project, `results-${lane}`)),
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    return ['pure logic', 'on PostgreSQL', 'a saga'].filter((name) => result.stdout.includes(name));
  };

  before(() => {
    mkdirSync(scratch, { recursive: true });
    project = mkdtempSync(join(scratch, 'lanes-'));
    const file = (name, test) => writeFileSync(join(project, name), `import { it } from 'node:test';\nit(${JSON.stringify(test)}, () => {});\n`);
    file('pricing.test.mjs', 'pure logic');
    file('orders.integration.test.mjs', 'on PostgreSQL');
    file('fulfilment.workflow.test.mjs', 'a saga');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('runs only the files that need nothing running in the unit lane', () => {
    assert.deepEqual(ran('unit'), ['pure logic']);
  });

  it('runs the files named for the infrastructure in the infrastructure lane', () => {
    assert.deepEqual(ran('infrastructure'), ['on PostgreSQL', 'a saga']);
  });
});

describe('the closing line', () => {
  const tap = (counts) => Object.entries(counts).map(([key, n]) => `# ${key} ${n}`).join('\n');

  it('adds every count of every file', () => {
    assert.deepEqual(countTap([tap({ pass: 3, fail: 1, cancelled: 0, skipped: 0, todo: 2 }), tap({ pass: 4, fail: 0, cancelled: 1, skipped: 0, todo: 0 })]), {
      pass: 7,
      fail: 1,
      cancelled: 1,
      skipped: 0,
      todo: 2,
    });
  });

  it('counts a cancelled test as failed and refuses a skipped one', () => {
    assert.deepEqual(summarizeTap({ pass: 5, fail: 0, cancelled: 2, skipped: 0, todo: 0 }).lines.at(-1), '5 passed, 2 failed, 0 skipped');
    assert.equal(summarizeTap({ pass: 5, fail: 0, cancelled: 0, skipped: 1, todo: 0 }).ok, false);
    assert.equal(summarizeTap({ pass: 5, fail: 0, cancelled: 0, skipped: 0, todo: 1 }).ok, true);
  });
});
