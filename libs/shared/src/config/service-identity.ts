import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Who is speaking: stamped on every log line, metric, event envelope and OpenAPI document. */
export interface ServiceIdentity {
  name: string;
  version: string;
}

/**
 * The `version` of the nearest package.json above a module, e.g. `packageVersion(import.meta.url)`
 * in an app's config.ts reads `apps/<app>/package.json` whether it runs from src or dist.
 */
export function packageVersion(moduleUrl: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); ; dir = dirname(dir)) {
    try {
      const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof version === 'string') return version;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (dirname(dir) === dir) return '0.0.0-unknown';
  }
}
