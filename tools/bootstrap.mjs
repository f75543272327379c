#!/usr/bin/env node
// The first thing `npm test` and `npm run demo` do on a fresh clone: check Node, then install the
// dependencies when node_modules is missing or older than package-lock.json. Node built-ins only,
// because nothing else is installed yet when it runs.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Faultline needs Node.js 20.19 or newer (this is ${process.version}); NestJS 12 relies on require(esm).`);
  process.exit(1);
}

// npm writes node_modules/.package-lock.json at the end of every successful install, so its age
// tells whether the tree matches the committed lock file.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;

if (stale) {
  console.log(existsSync(installed) ? '… package-lock.json changed: npm ci' : '… first run: installing dependencies (npm ci)');
  const started = Date.now();
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error('npm ci failed (see above). Check that the npm registry is reachable, then run it again.');
    process.exit(npm.status ?? 1);
  }
  console.log(`✓ dependencies installed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
