// Runs the notifications service's pending migrations and exits: `node apps/notifications/dist/migrate.js`.
import { runMigrations } from '@faultline/shared/service-defaults';
import { loadNotificationsSettings } from './config.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

await runMigrations({ loadSettings: () => loadNotificationsSettings(), database: { entities, migrations } });
