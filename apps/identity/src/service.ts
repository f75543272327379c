// The identity provider itself: its settings and Nest application, imported by main.ts after startTracing.
import { runService } from '@faultline/shared/service-defaults';
import { AppModule } from './app.module.js';
import { loadIdentitySettings } from './config.js';

await runService({ loadSettings: () => loadIdentitySettings(), module: (settings) => AppModule.forRoot(settings) });
