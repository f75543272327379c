// Runs the orders service's pending migrations and exits: `node apps/orders/dist/migrate.js`.
import { runMigrations } from '@faultline/shared/service-defaults';
import { loadOrdersSettings } from './config.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

await runMigrations({ loadSettings: () => loadOrdersSettings(), database: { entities, migrations } });
