// Starts the identity provider: `node apps/identity/dist/main.js` (after `npx tsc -b`).
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadIdentitySettings } from './config.js';

await runService({ loadSettings: () => loadIdentitySettings(), module: (settings) => AppModule.forRoot(settings) });
