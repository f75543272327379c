#!/usr/bin/env node
// `npm stop`: ends the services `npm start` (or a running demo) started from this checkout. The
// infrastructure stays up; `npm run infra:down` stops it.
import { stopRunningServices } from './local-services.mjs';

const stopped = await stopRunningServices();
console.log(stopped.length ? `stopped ${stopped.map(({ name, pid }) => `${name} (pid ${pid})`).join(', ')}` : 'no services of this checkout were running');
