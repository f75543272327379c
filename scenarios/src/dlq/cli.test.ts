import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run dlq command line', () => {
  it('prints its usage on --help and exits 0, without reaching Kafka', () => {
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run dlq -- <command> --consumer <name> \[filters\] \[options\]\n/);
    assert.match(help.stdout, /--rate <per second> +redrive at most this many a second; default: 10\n/);
  });

  it('refuses an unknown option in one line that points at --help, exit code 2', () => {
    const refused = run('list', '--consumer', 'billing-orders', '--no-such-option');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'unknown option --no-such-option — see `npm run dlq -- --help`\n');
    assert.equal(refused.stdout, '');
  });

  it('refuses a purge without a filter the same way', () => {
    const refused = run('purge', '--consumer', 'billing-orders');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^purge needs a filter .* — see `npm run dlq -- --help`\n$/);
  });
});
