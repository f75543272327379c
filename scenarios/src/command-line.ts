// `npm run scenario`'s command line: which scenario, in which mode, or the list of them.
import { UsageError, defineCommandLine } from '@faultline/shared/command-line';
import { findScenario, scenarios } from './registry.js';
import type { Scenario, ScenarioMode } from './scenario.js';

export type ScenarioRequest = { kind: 'list'; json: boolean } | { kind: 'run'; scenario: Scenario; mode: ScenarioMode };

export const commandLine = defineCommandLine({
  invocation: 'npm run scenario --',
  usage: `usage: npm run scenario -- <name> [--mode naive|correct]
       npm run scenario -- --list [--json]

Runs one article's scenario on the real system and exits 0 only when it showed what its mode
promises: the failure in naive mode, the fix in correct mode. Needs the infrastructure
(npm run infra:up); starts the services it drives itself.

options:
  --mode <naive|correct>   naive reproduces the failure, correct shows the fix holding; default: correct
  --list                   every scenario, with what each mode shows
  --json                   with --list: as one JSON array (name, article, title, promise), for tools
  -h, --help               print this text

scenarios: ${scenarios.map((s) => s.name).join(', ')}

examples:
  npm run scenario -- --list                              # every scenario, with what each mode shows
  npm run scenario -- shared-database --mode naive        # the failure, on the real system
  npm run scenario -- shared-database                     # correct mode (the default): the fix holding`,
  options: { list: { type: 'boolean' }, json: { type: 'boolean' }, mode: { type: 'string', default: 'correct' } },
  allowPositionals: true,
  interpret: ({ values, positionals }): ScenarioRequest => {
    if (values.list) return { kind: 'list', json: values.json === true };
    if (values.json) throw new UsageError('--json goes with --list');
    const [name] = positionals;
    if (name === undefined) throw new UsageError('name a scenario to run, or --list');
    const scenario = findScenario(name);
    if (!scenario) throw new UsageError(`unknown scenario "${name}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
    if (values.mode !== 'naive' && values.mode !== 'correct') throw new UsageError(`--mode must be naive or correct, not "${values.mode}"`);
    return { kind: 'run', scenario, mode: values.mode };
  },
});
