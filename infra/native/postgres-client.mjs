// Where the PostgreSQL 15 binaries are, and a psql call as the superuser over the local socket
// (pg_hba trusts the superuser there, so no password is involved).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { statePaths, stateRoot } from './paths.mjs';
import { runCommand } from './run-command.mjs';

export const postgresBinDir = '/usr/lib/postgresql/15/bin';
export const postgresBinary = (name) => join(postgresBinDir, name);
export const psqlBinary = existsSync(postgresBinary('psql')) ? postgresBinary('psql') : '/usr/bin/psql';

/**
 * Unix socket directory shared by primary and replica (socket names carry the port). A socket path
 * is limited to 107 bytes, so a checkout nested too deep for one falls back to a per-checkout folder
 * in the machine's temporary folder ($TMPDIR): the one place outside the checkout the project
 * writes to, named in the README.
 */
export const socketDir = (() => {
  const preferred = join(statePaths.run, 'pg');
  if (preferred.length + '/.s.PGSQL.65535.lock'.length <= 100) return preferred;
  const checkoutId = createHash('sha256').update(stateRoot).digest('hex').slice(0, 10);
  // eslint-disable-next-line no-restricted-syntax -- a socket path must fit in 107 bytes (see above)
  return join(tmpdir(), `faultline-${checkoutId}-pg`);
})();

/** Runs one SQL statement as the superuser; resolves to its unaligned, tuples-only output. */
export async function superuserQuery(env, port, sql, { database = 'postgres' } = {}) {
  const result = await runCommand(
    psqlBinary,
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', env.PG_SUPERUSER, '-d', database, '-c', sql],
    { timeoutMs: 10_000, env: { ...process.env, PGCONNECT_TIMEOUT: '3' } },
  );
  if (result.code !== 0) throw new Error(result.stderr.trim().split('\n').at(-1) || `psql exited ${result.code}`);
  return result.stdout.trim();
}
