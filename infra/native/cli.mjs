#!/usr/bin/env node
// node infra/native/cli.mjs up|down|status|logs [component] [-f]
// (npm run infra:up / infra:down / infra:status / infra:logs)
import { parseArgs } from 'node:util';
import { down, logs, status, tail, up } from './lifecycle.mjs';
import { ProvisioningError } from './provisioning-error.mjs';
import { reportFailure } from './progress.mjs';

const usage = `usage: node infra/native/cli.mjs <command> [component] [-f]
       (npm run infra:up, infra:down, infra:status, infra:logs; e.g. npm run infra:logs -- kafka -f)

commands:
  up [component]     start everything (or one component and what it depends on), health-gated
  down [component]   stop everything this checkout started (or one component)
  status             component / state / port / pid
  logs [component]   log file paths and their last lines

options:
  -f, --follow       logs: follow them
  -h, --help         print this text

examples:
  npm run infra:up       # idempotent and health-gated; a second run is a quick no-op
  npm run infra:status   # one line per component: state, port, pid
  npm run infra:logs     # where every log is (all under .faultline/logs/), and their last lines
  npm run infra:down     # stops everything it started; nothing is left running`;

/** One line on stderr and exit code 2, never parseArgs' stack trace. */
function refuse(message) {
  console.error(`${message} — see \`node infra/native/cli.mjs --help\``);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: { follow: { type: 'boolean', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
} catch (error) {
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && error.code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw error;
  refuse(error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${/'([^']+)'/.exec(error.message)?.[1]}` : error.message);
}
const [command, componentName] = parsed.positionals;

const commands = {
  up: () => up(componentName),
  down: () => down(componentName),
  status: () => status(),
  logs: () => logs(componentName, { follow: parsed.values.follow ?? false }),
};

if (parsed.values.help || command === undefined) {
  console.log(usage);
  process.exit(0);
}
if (!Object.hasOwn(commands, command)) refuse(`unknown command "${command}": up, down, status or logs`);

try {
  await commands[command]();
} catch (error) {
  if (!(error instanceof ProvisioningError)) throw error;
  reportFailure(error.component, error.message);
  if (error.hint) console.error(`  hint: ${error.hint}`);
  if (error.logPath) {
    console.error(`  log: ${error.logPath} (last 20 lines)`);
    console.error(tail(error.logPath, 20).replace(/^/gm, '  | '));
  }
  process.exitCode = 1;
}
