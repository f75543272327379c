import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run bench command line', () => {
  it('prints its usage with every benchmark on --help and exits 0, without touching the infrastructure', () => {
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run bench -- \[--quick\] \[--only <name>\[,<name>…\]\]\n/);
    assert.match(help.stdout, /\nbenchmarks: event-store-append, outbox-relay, .*saga\n/);
  });

  it('refuses an unknown option in one line that points at --help, exit code 2', () => {
    const refused = run('--no-such-option');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'unknown option --no-such-option — see `npm run bench -- --help`\n');
    assert.equal(refused.stdout, '');
  });

  it('refuses an unknown benchmark the same way, naming the known ones', () => {
    const refused = run('--only', 'outbox-relay,warp-drive');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^unknown benchmark warp-drive; known: event-store-append, .* — see `npm run bench -- --help`\n$/);
  });
});
