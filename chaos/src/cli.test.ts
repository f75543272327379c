import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chaosProfiles } from './chaos-profile.js';
import { CHAOS_PART_NAMES } from './command-line.js';

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run chaos command line', () => {
  it('prints its usage on --help and exits 0, without touching the infrastructure', () => {
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run chaos -- \[--short\] \[--only <part>\]\n/);
    assert.match(help.stdout, /--only <part> +one part only: bad-input or kill-and-recover; default: both/);
  });

  it('refuses an unknown option in one line that points at --help, exit code 2', () => {
    const refused = run('--no-such-option');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'unknown option --no-such-option — see `npm run chaos -- --help`\n');
    assert.equal(refused.stdout, '');
  });

  it('refuses an unknown part the same way', () => {
    const refused = run('--only', 'kill-everything');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'unknown part "kill-everything": one of bad-input, kill-and-recover — see `npm run chaos -- --help`\n');
  });

  it('offers --only exactly the parts each profile runs', () => {
    for (const profile of Object.values(chaosProfiles)) {
      assert.deepEqual(profile.parts.map((part) => part.name), [...CHAOS_PART_NAMES]);
    }
  });
});
