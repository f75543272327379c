// `node infra/native/cli.mjs` (npm run infra:*) answers --help with its usage and refuses an unknown
// option or command in one line that points at --help (exit code 2), before it provisions anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.mjs');
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('the native provisioning command line', () => {
  it('prints its usage on --help and exits 0', () => {
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: node infra\/native\/cli\.mjs <command> \[component\] \[-f\]\n/);
    assert.match(help.stdout, /\n {2}-f, --follow +logs: follow them\n/);
  });

  it('refuses an unknown option in one line that points at --help, exit code 2, without provisioning', () => {
    const refused = run('up', '--no-such-option');
    assert.equal(refused.status, 2, refused.stdout);
    assert.equal(refused.stderr, 'unknown option --no-such-option — see `node infra/native/cli.mjs --help`\n');
    assert.equal(refused.stdout, '');
  });

  it('refuses an unknown command the same way', () => {
    const refused = run('restart');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'unknown command "restart": up, down, status or logs — see `node infra/native/cli.mjs --help`\n');
  });
});
