// The notifications service itself: its settings and Nest application, imported by main.ts after startTracing.
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadNotificationsSettings } from './config.js';

await runService({ loadSettings: () => loadNotificationsSettings(), module: (settings) => AppModule.forRoot(settings) });
