#!/usr/bin/env node
// `npm run console`: the workshop console alone, on the infrastructure and beside whatever services
// run (`npm start` in another terminal brings them up; the console draws the missing ones as down).
// Runs after tools/bootstrap.mjs has installed the dependencies.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from './command-line.mjs';
import { env, root, startServices, stopStarted } from './local-services.mjs';

readCommandLine({
  invocation: 'npm run console --',
  usage: `usage: npm run console

Installs the dependencies if needed, brings the infrastructure up, builds the console and starts it
alone on CONSOLE_HTTP_PORT (infra/faultline.env), until Ctrl-C. The page shows every service's
readiness and the events on their topics, live; start the services with \`npm start\` in another
terminal to see them come up. Takes no arguments.

options:
  -h, --help    print this text

environment:
  FAULTLINE_INFRA=external        use the infrastructure already running (docker compose) instead of provisioning it
  FAULTLINE_WORKSHOP_MODE=true    let the page change the system (off: the console only reads, and says so)

example:
  npm run console    # then open http://127.0.0.1:${env.CONSOLE_HTTP_PORT}`,
});

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } });
  if (result.status !== 0) {
    console.error(`✗ ${title} failed`);
    process.exit(1);
  }
}

if (process.env.FAULTLINE_INFRA !== 'external') step('infrastructure (npm run infra:up)', process.execPath, [join(root, 'infra', 'native', 'cli.mjs'), 'up']);
step('build the console', 'npx', ['nx', 'run', 'console:build', '--outputStyle=static']);
try {
  const started = await startServices({ only: ['console'] });
  console.log(`\nThe console: http://127.0.0.1:${env.CONSOLE_HTTP_PORT} (Ctrl-C ends it; its log: ${started[0].log})`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopStarted(started).then(() => process.exit(0)));
  started[0].process.once('exit', (code) => {
    console.error(`the console exited (code ${code}); see ${started[0].log}`);
    process.exit(code === 0 ? 0 : 1);
  });
} catch (error) {
  console.error(`\n✗ ${error.message}`);
  process.exit(1);
}
