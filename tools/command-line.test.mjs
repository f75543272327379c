// The command lines npm runs from tools/: each answers --help with its usage, and refuses an unknown
// option in one line that points at --help (exit code 2), before it installs, provisions or starts
// anything. FAULTLINE_INFRA=external and the timeout keep a broken refusal from provisioning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './local-services.mjs';

function run(script, ...args) {
  return spawnSync(process.execPath, [join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FAULTLINE_INFRA: 'external' },
  });
}

const tools = [
  { script: 'tools/demo.mjs', invocation: 'npm run demo --', synopsis: 'usage: npm run demo\n' },
  { script: 'tools/start.mjs', invocation: 'npm start --', synopsis: 'usage: npm start\n' },
  { script: 'tools/stop.mjs', invocation: 'npm stop --', synopsis: 'usage: npm stop\n' },
  { script: 'tools/test.mjs', invocation: 'npm test --', synopsis: 'usage: npm test\n' },
  { script: 'tools/sign-in.mjs', invocation: 'npm run -s sign-in --', synopsis: 'usage: npm run -s sign-in -- [<email> <password>]\n' },
];

for (const { script, invocation, synopsis } of tools) {
  describe(`${invocation.replace(/ --$/, '')} command line`, () => {
    it('prints its usage on --help and exits 0', () => {
      const help = run(script, '--help');
      assert.equal(help.status, 0, help.stderr);
      assert.ok(help.stdout.startsWith(synopsis), help.stdout);
      assert.match(help.stdout, /\n {2}-h, --help +print this text\n/);
    });

    it('refuses an unknown option in one line that points at --help, exit code 2', () => {
      const refused = run(script, '--no-such-option');
      assert.equal(refused.status, 2, refused.stdout);
      assert.equal(refused.stderr, `unknown option --no-such-option — see \`${invocation} --help\`\n`);
      assert.equal(refused.stdout, '');
    });
  });
}

describe('npm run chaos and npm run bench, before the infrastructure', () => {
  it('answers --help from the compiled command line without provisioning', () => {
    const help = run('tools/run-with-infrastructure.mjs', 'chaos', '--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run chaos -- /);
  });

  it('refuses an unknown option in one line, exit code 2, without provisioning', () => {
    const refused = run('tools/run-with-infrastructure.mjs', 'bench', '--no-such-option');
    assert.equal(refused.status, 2, refused.stdout);
    assert.equal(refused.stderr, 'unknown option --no-such-option — see `npm run bench -- --help`\n');
  });
});
