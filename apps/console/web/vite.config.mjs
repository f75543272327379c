// Builds the console's page into apps/console/dist/web, where the console's backend serves it from.
// `npx nx build console` runs it after the backend's tsc; `vite --config apps/console/web/vite.config.mjs`
// serves the page with hot reload, its /api calls proxied to a console backend on CONSOLE_HTTP_PORT.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const env = { ...parseEnv(readFileSync(join(here, '..', '..', '..', 'infra', 'faultline.env'), 'utf8')), ...process.env };

export default defineConfig({
  root: here,
  plugins: [react()],
  build: { outDir: join(here, '..', 'dist', 'web'), emptyOutDir: true },
  server: { proxy: { '/api': `http://127.0.0.1:${env.CONSOLE_HTTP_PORT}` } },
});
