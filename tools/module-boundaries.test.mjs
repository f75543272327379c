// Article 8, enforced in lint: a service may import @faultline/shared, never another service. This
// test lints imports that would cross the line and checks that lint refuses them, so the rule
// cannot be switched off (or silently skipped for want of a project graph) without a red test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function lint(filePath, code) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result.messages;
}

describe('module boundaries between services', () => {
  before(() => {
    // The Nx rule reads the cached project graph; compute it so the rule runs instead of skipping.
    const graph = spawnSync('npx', ['nx', 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    });
    assert.equal(graph.status, 0, graph.stderr?.toString());
  });

  it('refuses an import of the billing service from orders', async () => {
    const messages = await lint('apps/orders/src/probe.ts', "import { x } from '@faultline/billing';\nexport const y = x;\n");
    const boundary = messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries');
    assert.equal(boundary.length, 1, JSON.stringify(messages));
    assert.equal(boundary[0].severity, 2);
  });

  it('refuses a relative import that reaches into another service folder', async () => {
    const messages = await lint(
      'apps/notifications/src/probe.ts',
      "import { x } from '../../billing/src/main.js';\nexport const y = x;\n",
    );
    assert.ok(
      messages.some((m) => m.ruleId === '@nx/enforce-module-boundaries' && m.severity === 2),
      JSON.stringify(messages),
    );
  });

  it('allows a service to import the shared library', async () => {
    const messages = await lint(
      'apps/orders/src/probe.ts',
      "import { SystemClock } from '@faultline/shared/clock';\nexport const clock = new SystemClock();\n",
    );
    assert.deepEqual(messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries'), []);
  });
});
