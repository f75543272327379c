// The orders service itself: its settings and Nest application, imported by main.ts after startTracing.
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadOrdersSettings } from './config.js';

await runService({ loadSettings: () => loadOrdersSettings(), module: (settings) => AppModule.forRoot(settings) });
