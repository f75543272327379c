#!/usr/bin/env node
// `npm start`: the infrastructure, a build, and every service, kept running until Ctrl-C here or
// `npm stop` from another terminal. Runs after tools/bootstrap.mjs has installed the dependencies.
import { readCommandLine } from './command-line.mjs';
import { provisionAndBuild, startServices, stopStarted, whereToLook } from './local-services.mjs';

readCommandLine({
  invocation: 'npm start --',
  usage: `usage: npm start

Installs the dependencies if needed, brings the infrastructure up, builds, and starts every service
(logs in .faultline/logs/), then keeps them running until Ctrl-C here or \`npm stop\` from another
terminal. The infrastructure stays up (npm run infra:down stops it). Takes no arguments.

options:
  -h, --help    print this text

environment:
  FAULTLINE_INFRA=external   use the infrastructure already running (docker compose) instead of provisioning it

examples:
  npm start    # every service, until Ctrl-C
  npm stop     # from another terminal: ends them`,
});

try {
  provisionAndBuild();
  console.log('\n▶ services');
  const started = await startServices();
  console.log(`\nEvery service runs; Ctrl-C here or \`npm stop\` elsewhere ends them (the infrastructure stays up: npm run infra:down).\n${whereToLook()}`);

  let stopping = false;
  const stop = async (why, code) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n▶ ${why}: stopping the services`);
    await stopStarted(started);
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(signal, 0));
  for (const service of started) {
    service.process.once('exit', (code, signal) => {
      if (stopping) return;
      // SIGTERM from outside is `npm stop` (a service ends with code 0 on it); anything else is a failure.
      if (signal === 'SIGTERM' || code === 0) void stop(`${service.name} was stopped from outside (npm stop?)`, 0);
      else void stop(`${service.name} exited (${signal ?? `code ${code}`}); see ${service.log}`, 1);
    });
  }
} catch (error) {
  console.error(`\n✗ ${error.message}`);
  process.exit(1);
}
