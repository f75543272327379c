// Loads infra/faultline.env: the one file holding every port, address and credential of the local
// topology. The provisioning scripts, the compose generator, the services and the tests import this.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const faultlineEnvPath = fileURLToPath(new URL('../faultline.env', import.meta.url));

/**
 * Parses dotenv-style text: `KEY=value`, `# comments`, blank lines, an optional `export ` prefix,
 * values optionally in single or double quotes (a `#` after whitespace starts a comment only in
 * unquoted values). Later keys win over earlier ones.
 */
export function parseEnvText(text) {
  const values = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`faultline.env line ${index + 1} is not KEY=value: ${rawLine}`);
    const [, key, rest] = match;
    values[key] = unquote(rest);
  }
  return values;
}

function unquote(raw) {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.lastIndexOf(quote) > 0) {
    const inner = raw.slice(1, raw.lastIndexOf(quote));
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
  }
  return raw.replace(/\s+#.*$/, '').trim();
}

/**
 * Returns a plain object with every variable of faultline.env. A variable also set (non-empty) in the
 * process environment takes the process value, so `PG_PRIMARY_PORT=25000 npm run infra:up` works.
 * Only the file's variables are returned: the file is the catalogue of what exists.
 *
 * @param {{ envFile?: string, processEnv?: Record<string, string | undefined> }} [options]
 */
export function loadFaultlineEnv({ envFile = faultlineEnvPath, processEnv = process.env } = {}) {
  const fromFile = parseEnvText(readFileSync(envFile, 'utf8'));
  const merged = {};
  for (const [key, fileValue] of Object.entries(fromFile)) {
    const override = processEnv[key];
    // An empty value in the environment is treated as unset: an empty port or password is never meant.
    merged[key] = override !== undefined && override !== '' ? override : fileValue;
  }
  return merged;
}
