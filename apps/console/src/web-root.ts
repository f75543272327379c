import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Vite writes the page (apps/console/web/vite.config.ts): beside the compiled backend, in dist/web. */
export const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), 'web');
