#!/usr/bin/env node
// `npm run chaos` and `npm run bench`: node tools/run-with-infrastructure.mjs <project> [arguments…]
// Reads the CLI's command line first, from the project's compiled command-line.js, so --help and a
// mistyped option are answered without bringing the infrastructure up. Then it does what a run
// needs, in the order it always has: the infrastructure up, a build of everything, the CLI with the
// same arguments. Runs after tools/bootstrap.mjs has installed the dependencies.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const [project, ...args] = process.argv.slice(2);
if (!project) {
  console.error('usage: node tools/run-with-infrastructure.mjs <project> [arguments…]   (npm run chaos, npm run bench)');
  process.exit(2);
}

// Ctrl-C reaches every step's process as well (one process group): this one waits for the step to end.
process.on('SIGINT', () => {});

/** Runs one step in the foreground; a step that fails ends the run with its exit code. */
function step(script, stepArgs) {
  const result = spawnSync(process.execPath, [script, ...stepArgs], { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.signal) process.exit(128 + constants.signals[result.signal]);
  if (result.status !== 0) process.exit(result.status);
}

// The CLI's project and what it references only: seconds once built, and no infrastructure needed.
step(tsc, ['-b', project]);
const { commandLine } = await import(pathToFileURL(join(root, project, 'dist', 'command-line.js')).href);
commandLine.read(args);

step(join(root, 'infra', 'native', 'cli.mjs'), ['up']);
step(tsc, ['-b']);
step(join(root, project, 'dist', 'cli.js'), args);
process.exit(0);
