// Starts the payment provider simulator: `node apps/payment-provider/dist/main.js` (after `npx tsc -b`).
import { packageVersion } from '@faultline/shared/config';
import { startTracing } from '@faultline/shared/tracing';

// Tracing first: express, pg and pino are patched only when they load after it (ADR 0021).
await startTracing({ name: 'payment-provider', version: packageVersion(import.meta.url) });
await import('./service.js');
