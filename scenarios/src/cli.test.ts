import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run scenario command line', () => {
  it('prints its usage with every scenario on --help and exits 0', () => {
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run scenario -- <name> \[--mode naive\|correct\]\n/);
    assert.match(help.stdout, /--mode <naive\|correct> +.*; default: correct\n/);
    assert.match(help.stdout, /\nscenarios: circuit-breaker, .*time-zones\n/);
  });

  it('lists the scenarios with what each mode shows on --list, as the demo reads them', () => {
    const list = run('--list');
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^ 1 {2}circuit-breaker +.+\n {4}naive: {3}.+\n {4}correct: .+\n/);
  });

  it('lists them as one JSON array on --list --json, for the console', () => {
    const list = run('--list', '--json');
    assert.equal(list.status, 0, list.stderr);
    const scenarios = JSON.parse(list.stdout) as { name: string; article: number; title: string; promise: { naive: string; correct: string } }[];
    assert.ok(scenarios.length >= 9, `${scenarios.length} scenarios`);
    assert.deepEqual(Object.keys(scenarios[0] ?? {}), ['name', 'article', 'title', 'promise']);
    assert.equal(scenarios.find((s) => s.name === 'circuit-breaker')?.article, 1);
    assert.equal(run('--json').stderr, '--json goes with --list — see `npm run scenario -- --help`\n');
  });

  it('refuses an unknown option in one line that points at --help, exit code 2', () => {
    const refused = run('--no-such-option');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'unknown option --no-such-option — see `npm run scenario -- --help`\n');
    assert.equal(refused.stdout, '');
  });

  it('refuses an unknown scenario, a bad mode and a missing name the same way, before starting anything', () => {
    assert.match(run('no-such-scenario').stderr, /^unknown scenario "no-such-scenario"; known: circuit-breaker, .* — see `npm run scenario -- --help`\n$/);
    assert.equal(run('shared-database', '--mode', 'careless').stderr, '--mode must be naive or correct, not "careless" — see `npm run scenario -- --help`\n');
    const nameless = run();
    assert.equal(nameless.status, 2);
    assert.equal(nameless.stderr, 'name a scenario to run, or --list — see `npm run scenario -- --help`\n');
  });
});
