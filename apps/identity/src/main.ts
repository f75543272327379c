// Starts the identity provider: `node apps/identity/dist/main.js` (after `npx tsc -b`).
import { packageVersion } from '@faultline/shared/config';
import { startTracing } from '@faultline/shared/tracing';

// Tracing first: express, pg and pino are patched only when they load after it (ADR 0021).
await startTracing({ name: 'identity', version: packageVersion(import.meta.url) });
await import('./service.js');
