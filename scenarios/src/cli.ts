#!/usr/bin/env node
// npm run scenario -- --list [--json]
// npm run scenario -- <name> [--mode naive|correct]      (correct is the default; --help: command-line.ts)
// Exits 0 only when the run showed what its mode promises: the failure in naive mode, the fix in
// correct mode.
import { ConfigurationError } from '@faultline/shared/config';
import { commandLine } from './command-line.js';
import { scenarios } from './registry.js';
import { runScenario } from './run-scenario.js';

const request = commandLine.read();

if (request.kind === 'list' && request.json) {
  console.log(JSON.stringify(scenarios.map(({ name, article, title, promise }) => ({ name, article, title, promise }))));
  process.exit(0);
}

if (request.kind === 'list') {
  for (const s of scenarios) {
    console.log(`${String(s.article).padStart(2)}  ${s.name.padEnd(22)} ${s.title}`);
    console.log(`    naive:   ${s.promise.naive}`);
    console.log(`    correct: ${s.promise.correct}`);
  }
  process.exit(0);
}

const { scenario, mode } = request;
try {
  const outcome = await runScenario(scenario, mode, (line) => console.log(line));
  process.exit(outcome.showedWhatItPromised ? 0 : 1);
} catch (error) {
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  console.error(`\n✗ ${scenario.name} could not run: ${message}`);
  if (code === 'ECONNREFUSED') console.error('  Is the infrastructure up? `npm run infra:up`');
  process.exit(1);
}
