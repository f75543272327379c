#!/usr/bin/env node
// npm run scenario -- --list
// npm run scenario -- <name> [--mode naive|correct]      (correct is the default)
// Exits 0 only when the run showed what its mode promises: the failure in naive mode, the fix in
// correct mode.
import { parseArgs } from 'node:util';
import { ConfigurationError } from '@faultline/shared/config';
import { findScenario, scenarios } from './registry.js';
import { runScenario } from './run-scenario.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { list: { type: 'boolean' }, mode: { type: 'string', default: 'correct' }, help: { type: 'boolean', short: 'h' } },
});

const usage = 'usage: npm run scenario -- --list | <name> [--mode naive|correct]';

if (values.help || values.list || positionals.length === 0) {
  if (!values.list && !values.help) console.error(usage);
  for (const s of scenarios) {
    console.log(`${String(s.article).padStart(2)}  ${s.name.padEnd(22)} ${s.title}`);
    console.log(`    naive:   ${s.promise.naive}`);
    console.log(`    correct: ${s.promise.correct}`);
  }
  process.exit(values.list || values.help ? 0 : 2);
}

const scenario = findScenario(positionals[0]);
if (!scenario) {
  console.error(`unknown scenario "${positionals[0]}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
if (values.mode !== 'naive' && values.mode !== 'correct') {
  console.error(`--mode must be naive or correct, not "${values.mode}"`);
  process.exit(2);
}

try {
  const outcome = await runScenario(scenario, values.mode, (line) => console.log(line));
  process.exit(outcome.showedWhatItPromised ? 0 : 1);
} catch (error) {
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  console.error(`\n✗ ${scenario.name} could not run: ${message}`);
  if (code === 'ECONNREFUSED') console.error('  Is the infrastructure up? `npm run infra:up`');
  process.exit(1);
}
