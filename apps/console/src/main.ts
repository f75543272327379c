// Starts the workshop console: `node apps/console/dist/main.js` (after `npx nx build console`).
import { ConfigurationError } from '@faultline/shared/config';
import { loadConsoleSettings } from './config.js';
import { startConsole } from './console.js';

try {
  await startConsole(loadConsoleSettings());
} catch (error) {
  console.error(error instanceof ConfigurationError ? error.message : `console failed to start: ${(error as Error).message}`);
  process.exit(1);
}
