// Starts the orders service: `node apps/orders/dist/main.js` (after `npx tsc -b`).
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadOrdersSettings } from './config.js';

await runService({ loadSettings: () => loadOrdersSettings(), module: (settings) => AppModule.forRoot(settings) });
