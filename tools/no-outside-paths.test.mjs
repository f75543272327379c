// The project reads and writes nothing outside its checkout: a file under /tmp or a home folder
// exists on the machine that wrote it and nowhere else, so a green run there hides a red one on
// every new machine. Lint refuses such paths in code (eslint.config.mjs); this test proves the rule
// is on, and reads the committed files lint does not (configuration, scripts, manifests).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTSIDE = /(^|[\s"'`=:(,[])\/(tmp|home|work|root|Users)\//m;
/** Committed files lint does not read, where a path would still be used. */
const NOT_LINTED = /\.(json|ya?ml|env|sh|toml|xml|properties|conf)$|(^|\/)(Dockerfile|\.ci\/run)$/;

async function ruleIds(filePath, code) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result.messages.map((message) => message.ruleId);
}

describe('nothing outside the repository', () => {
  it('lint refuses an absolute path to /tmp, /home or /work, in a string or a template, in TypeScript and in scripts', async () => {
    // The probes' paths are put together here, so this file names no such path itself.
    const outside = (...parts) => `/${parts.join('/')}`;
    const probes = [
      ['chaos/src/probe.ts', `export const log = '${outside('tmp', 'briefs', 'outages.log')}';\n`],
      ['apps/orders/src/probe.ts', `export const file = (name: string) => \`${outside('home', 'someone')}/\${name}\`;\n`],
      ['tools/probe.mjs', `export const dir = '${outside('work', 'shared')}';\n`],
    ];
    for (const [file, code] of probes) assert.ok((await ruleIds(file, code)).includes('no-restricted-syntax'), `${file}: ${code}`);
  });

  it("lint refuses the machine's temporary folder", async () => {
    const code = "import { tmpdir } from 'node:os';\nimport os from 'node:os';\nexport const a = tmpdir();\nexport const b = os.tmpdir();\n";
    const ids = await ruleIds('infra/native/probe.mjs', code);
    assert.equal(ids.filter((id) => id === 'no-restricted-syntax').length, 2, String(ids));
  });

  it('lets a path inside the repository and a relative path through', async () => {
    const code = "import { join } from 'node:path';\nexport const log = join('.faultline', 'logs', 'outages.log');\nexport const url = 'http://127.0.0.1:3101/orders';\n";
    assert.deepEqual((await ruleIds('chaos/src/probe.ts', code)).filter((id) => id === 'no-restricted-syntax'), []);
  });

  it('no committed configuration, script or manifest names a path outside the repository', () => {
    const listed = spawnSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const files = listed.stdout.split('\n').filter((file) => NOT_LINTED.test(file) && file !== 'package-lock.json');
    assert.ok(files.length > 10, `expected the project's configuration files, found ${files.length}`);
    const offenders = files.flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (OUTSIDE.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(offenders, []);
  });
});
