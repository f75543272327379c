// The manifests declare exactly what the code imports: a package imported but not declared works
// only while another package happens to pull it in, and one declared but never imported is weight
// every clone installs for nothing. Read from the committed sources, as a new machine sees them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Declared but not imported, on purpose: command-line tools the scripts run (nx, tsc, MailDev as
 * the mail sink) and Nest's peer dependency, which Nest loads itself.
 */
const NOT_IMPORTED = new Set(['nx', 'typescript', 'maildev', 'reflect-metadata']);
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\(\s*|^\s*import\s+)['"]([^'"./\s][^'"\s]*)['"]/gm;

function trackedSources() {
  const listed = spawnSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs', '*.js', '*.cjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(listed.status, 0, `git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\n').filter(Boolean);
}

/** The package a specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package imported by a tracked source, with one file that imports it. */
function importedPackages() {
  const imported = new Map();
  for (const file of trackedSources()) {
    for (const [, specifier] of readFileSync(join(root, file), 'utf8').matchAll(IMPORT)) {
      if (specifier.startsWith('node:')) continue;
      const name = packageOf(specifier);
      if (!imported.has(name)) imported.set(name, file);
    }
  }
  return imported;
}

/** The root manifest's and every workspace's dependencies and devDependencies, and the workspaces' own names. */
function declaredPackages() {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifests = [rootManifest];
  for (const pattern of rootManifest.workspaces) {
    const folders = pattern.endsWith('/*')
      ? spawnSync('git', ['ls-files', `${pattern.slice(0, -2)}/*/package.json`], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(dirname)
      : [pattern];
    for (const folder of folders) {
      const manifest = join(root, folder, 'package.json');
      if (existsSync(manifest)) manifests.push(JSON.parse(readFileSync(manifest, 'utf8')));
    }
  }
  const workspaces = new Set(manifests.slice(1).map((manifest) => manifest.name));
  const declared = new Set(manifests.flatMap((manifest) => [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]));
  return { declared, workspaces };
}

describe('dependencies declared exactly as imported', () => {
  const imported = importedPackages();
  const { declared, workspaces } = declaredPackages();

  it('declares every package the code imports', () => {
    const undeclared = [...imported].filter(([name]) => !declared.has(name) && !workspaces.has(name)).map(([name, file]) => `${name} (${file})`);
    assert.deepEqual(undeclared, []);
  });

  it('imports every package it declares, but for the tools the scripts run and the types', () => {
    const unused = [...declared].filter((name) => !imported.has(name) && !workspaces.has(name) && !name.startsWith('@types/') && !NOT_IMPORTED.has(name));
    assert.deepEqual(unused, []);
  });

  it('reads a scoped package and a subpath as the package', () => {
    assert.equal(packageOf('@temporalio/common/lib/failure'), '@temporalio/common');
    assert.equal(packageOf('pino-http'), 'pino-http');
    // The quotes are put in here, so this file imports nothing these lines name.
    const q = "'";
    const code = `import x from ${q}a/b${q};\nexport { y } from ${q}@c/d/e${q};\nawait import(${q}f${q});`;
    assert.deepEqual([...code.matchAll(IMPORT)].map(([, s]) => s), ['a/b', '@c/d/e', 'f']);
  });
});
