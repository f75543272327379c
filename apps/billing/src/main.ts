// Starts the billing service: `node apps/billing/dist/main.js` (after `npx tsc -b`).
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadBillingSettings } from './config.js';

await runService({ loadSettings: () => loadBillingSettings(), module: (settings) => AppModule.forRoot(settings) });
