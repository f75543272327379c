#!/usr/bin/env node
// `npm stop`: ends the services `npm start` (or a running demo) started from this checkout. The
// infrastructure stays up; `npm run infra:down` stops it.
import { readCommandLine } from './command-line.mjs';
import { stopRunningServices } from './local-services.mjs';

readCommandLine({
  invocation: 'npm stop --',
  usage: `usage: npm stop

Ends the services \`npm start\` (or a running demo) started from this checkout. The infrastructure
stays up; npm run infra:down stops it. Takes no arguments.

options:
  -h, --help    print this text`,
});

const stopped = await stopRunningServices();
console.log(stopped.length ? `stopped ${stopped.map(({ name, pid }) => `${name} (pid ${pid})`).join(', ')}` : 'no services of this checkout were running');
