import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

/** The repository's one environment file, relative to the repository root. */
export const FAULTLINE_ENV_FILE = join('infra', 'faultline.env');

/**
 * Finds `infra/faultline.env` by walking up from `start` (default: this module's folder, so it works
 * from any working directory inside a checkout). Returns undefined outside a checkout, e.g. in a
 * container image where every value comes from the process environment.
 */
export function findFaultlineEnvFile(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, FAULTLINE_ENV_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The environment a service or test sees: the values of `infra/faultline.env`, overridden by the
 * process environment (so `PG_PRIMARY_PORT=25000 npm test` works without editing the file).
 */
export function readFaultlineEnvironment(
  processEnv: NodeJS.ProcessEnv = process.env,
  file: string | undefined = processEnv.FAULTLINE_ENV_FILE ?? findFaultlineEnvFile(),
): Record<string, string | undefined> {
  const fromFile = file ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...processEnv };
}
