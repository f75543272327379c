// The OS user that owns and runs the PostgreSQL clusters: the server refuses to run as root, so as
// root every server-side command runs as the `postgres` OS user and the data folders belong to it;
// as any other user, that user runs everything.
import { appendFileSync, chmodSync, chownSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { postgresBinary } from './postgres-client.mjs';
import { reportStep } from './progress.mjs';
import { ProvisioningError } from './provisioning-error.mjs';
import { runCommand } from './run-command.mjs';

const runningAsRoot = process.getuid?.() === 0;

/** uid/gid of the OS user that owns the clusters: `postgres` when we are root, else ourselves. */
export function clusterOwner() {
  if (!runningAsRoot) return { uid: process.getuid(), gid: process.getgid() };
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new ProvisioningError('running as root but there is no `postgres` OS user: apt-get install postgresql-15');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL program (initdb, pg_ctl, ...) as the cluster owner. */
export function runAsOwner(program, args, options = {}) {
  return runBinaryAsOwner(postgresBinary(program), args, options);
}

function runBinaryAsOwner(binary, args, options) {
  return runningAsRoot
    ? runCommand('runuser', ['-u', 'postgres', '--', binary, ...args], options)
    : runCommand(binary, args, options);
}

/** Creates a folder owned by the cluster owner, with `mode`. */
export function makeOwnedDir(path, mode = 0o700) {
  mkdirSync(path, { recursive: true });
  const { uid, gid } = clusterOwner();
  chownSync(path, uid, gid);
  chmodSync(path, mode);
}

/** Creates (or keeps) a log file the cluster owner can append to. */
export function makeOwnedLog(path) {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, '');
  const { uid, gid } = clusterOwner();
  chownSync(path, uid, gid);
}

/**
 * The `postgres` user must be able to reach .faultline/data through every parent folder (a checkout
 * under /root is not, by default). Grants search permission (o+x, not read) on the parents that lack
 * it, then proves it by touching a file as that user.
 */
export async function ensureOwnerCanReach(dir, component) {
  if (!runningAsRoot) return;
  const canReach = async () => (await runBinaryAsOwner('/usr/bin/test', ['-w', dir], {})).code === 0;
  if (await canReach()) return;
  const opened = [];
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    const { mode } = statSync(parent);
    if ((mode & 0o001) === 0) {
      chmodSync(parent, mode | 0o001);
      opened.push(parent);
    }
    if (parent === '/') break;
  }
  if (opened.length) reportStep(component, `granted the postgres user search permission (o+x) on ${opened.join(', ')}`);
  if (!(await canReach())) {
    throw new ProvisioningError(`the postgres OS user cannot write to ${dir}`, {
      component,
      hint: 'move the checkout to a folder the postgres user can traverse (e.g. under /srv or /tmp)',
    });
  }
}
