// Runs the identity provider's pending migrations and exits: `node apps/identity/dist/migrate.js`.
import { runMigrations } from '@faultline/shared/service-defaults';
import { loadIdentitySettings } from './config.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

await runMigrations({ loadSettings: () => loadIdentitySettings(), database: { entities, migrations } });
