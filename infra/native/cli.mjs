#!/usr/bin/env node
// node infra/native/cli.mjs up|down|status|logs [component] [-f]
// (npm run infra:up / infra:down / infra:status / infra:logs)
import { down, logs, status, tail, up } from './lifecycle.mjs';
import { ProvisioningError } from './provisioning-error.mjs';
import { reportFailure } from './progress.mjs';

const usage = `usage: node infra/native/cli.mjs <command> [component]

  up [component]       start everything (or one component and what it depends on), health-gated
  down [component]     stop everything this checkout started (or one component)
  status               component / state / port / pid
  logs [component] [-f]  log file paths and their last lines; -f follows them`;

const args = process.argv.slice(2);
const follow = args.includes('-f') || args.includes('--follow');
const [command, componentName] = args.filter((arg) => !arg.startsWith('-'));

const commands = {
  up: () => up(componentName),
  down: () => down(componentName),
  status: () => status(),
  logs: () => logs(componentName, { follow }),
};

if (!commands[command] || args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(commands[command] || !command ? 0 : 2);
}

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
