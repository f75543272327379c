// Runs the billing service's pending migrations and exits: `node apps/billing/dist/migrate.js`.
import { runMigrations } from '@faultline/shared/service-defaults';
import { loadBillingSettings } from './config.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

await runMigrations({ loadSettings: () => loadBillingSettings(), database: { entities, migrations } });
