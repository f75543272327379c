// Runs the payment provider simulator's pending migrations and exits: `node apps/payment-provider/dist/migrate.js`.
import { runMigrations } from '@faultline/shared/service-defaults';
import { loadPaymentProviderSettings } from './config.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

await runMigrations({ loadSettings: () => loadPaymentProviderSettings(), database: { entities, migrations } });
