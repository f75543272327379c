// Starts the notifications service: `node apps/notifications/dist/main.js` (after `npx tsc -b`).
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadNotificationsSettings } from './config.js';

await runService({ loadSettings: () => loadNotificationsSettings(), module: (settings) => AppModule.forRoot(settings) });
