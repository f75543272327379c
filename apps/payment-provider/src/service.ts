// The payment provider simulator itself: its settings and Nest application, imported by main.ts after startTracing.
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadPaymentProviderSettings } from './config.js';

await runService({ loadSettings: () => loadPaymentProviderSettings(), module: (settings) => AppModule.forRoot(settings) });
