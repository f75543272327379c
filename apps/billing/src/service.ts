// The billing service itself: its settings and Nest application, imported by main.ts after startTracing.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadBillingSettings } from './config.js';

// Temporal's worker logs every state change at INFO to the console; the service log keeps its warnings.
Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });

await runService({ loadSettings: () => loadBillingSettings(), module: (settings) => AppModule.forRoot(settings) });
