// Starts the billing service: `node apps/billing/dist/main.js` (after `npx tsc -b`).
import { packageVersion } from '@faultline/shared/config';
import { startTracing } from '@faultline/shared/tracing';

// Tracing first: express, pg and pino are patched only when they load after it (ADR 0021).
await startTracing({ name: 'billing', version: packageVersion(import.meta.url) });
await import('./service.js');
