// Starts the payment provider simulator: `node apps/payment-provider/dist/main.js` (after `npx tsc -b`).
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadPaymentProviderSettings } from './config.js';

await runService({ loadSettings: () => loadPaymentProviderSettings(), module: (settings) => AppModule.forRoot(settings) });
