// PostgreSQL 15 primary and streaming replica from the system binaries (/usr/lib/postgresql/15/bin).
// The server refuses to run as root, so as root every server-side command runs as the `postgres` OS
// user and the data folders belong to it; as any other user, that user runs everything.
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loopback } from '../../topology.mjs';
import { postgresBootstrapSql } from '../../postgres/bootstrap-sql.mjs';
import { logFile, statePaths, stateRoot } from '../paths.mjs';
import { forgetPid, isOurs, stopProcess, writePid } from '../process-control.mjs';
import { postgresBinary, psqlBinary, socketDir } from '../postgres-client.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';
import { reportStep } from '../progress.mjs';
import { lastLine, runCommand } from '../run-command.mjs';

const dataDirs = {
  'postgres-primary': join(statePaths.data, 'pg-primary'),
  'postgres-replica': join(statePaths.data, 'pg-replica'),
};

const runningAsRoot = process.getuid?.() === 0;

/** uid/gid of the OS user that owns the clusters: `postgres` when we are root, else ourselves. */
function clusterOwner() {
  if (!runningAsRoot) return { uid: process.getuid(), gid: process.getgid() };
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new ProvisioningError('running as root but there is no `postgres` OS user: apt-get install postgresql-15');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL program (initdb, pg_ctl, ...) as the cluster owner. */
function runAsOwner(program, args, options = {}) {
  return runBinaryAsOwner(postgresBinary(program), args, options);
}

function runBinaryAsOwner(binary, args, options) {
  return runningAsRoot
    ? runCommand('runuser', ['-u', 'postgres', '--', binary, ...args], options)
    : runCommand(binary, args, options);
}

function makeOwnedDir(path, mode = 0o700) {
  mkdirSync(path, { recursive: true });
  const { uid, gid } = clusterOwner();
  chownSync(path, uid, gid);
  chmodSync(path, mode);
}

function makeOwnedLog(path) {
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
async function ensureOwnerCanReach(dir, component) {
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

function postmasterPid(dataDir) {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) && isOurs(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function hasCluster(dataDir) {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** Our settings live in faultline.conf, included last by postgresql.conf, rewritten on every start. */
function writeServerConfig(dataDir, port, settings) {
  const lines = [
    '# Written by infra/native/components/postgres.mjs on every `up` (from infra/topology.mjs and faultline.env).',
    `listen_addresses = '${loopback}'`,
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    ...Object.entries(settings).map(([key, value]) => `${key} = '${value}'`),
  ];
  const { uid, gid } = clusterOwner();
  const confPath = join(dataDir, 'faultline.conf');
  writeFileSync(confPath, `${lines.join('\n')}\n`);
  chownSync(confPath, uid, gid);
  const mainConf = join(dataDir, 'postgresql.conf');
  if (!readFileSync(mainConf, 'utf8').includes("include 'faultline.conf'")) {
    appendFileSync(mainConf, "\n# Faultline's settings (generated):\ninclude 'faultline.conf'\n");
  }
}

function writeHba(dataDir, postgres) {
  const rules = [
    '# Written by infra/native/components/postgres.mjs on every `up`.',
    '# TYPE  DATABASE     USER                 ADDRESS        METHOD',
    `local   all          ${postgres.superuser.padEnd(20)}                trust`,
    `host    replication  ${postgres.replicationUser.padEnd(20)} ${loopback}/32   scram-sha-256`,
    `host    all          all                  ${loopback}/32   scram-sha-256`,
  ];
  const hbaPath = join(dataDir, 'pg_hba.conf');
  writeFileSync(hbaPath, `${rules.join('\n')}\n`);
  const { uid, gid } = clusterOwner();
  chownSync(hbaPath, uid, gid);
}

async function pgCtlStart(component, dataDir) {
  const logPath = logFile(component);
  makeOwnedLog(logPath);
  const result = await runAsOwner('pg_ctl', ['start', '-D', dataDir, '-l', logPath, '-w', '-t', '60', '-s'], { timeoutMs: 90_000 });
  if (result.code !== 0) {
    throw new ProvisioningError(`pg_ctl start failed: ${lastLine(result)}`, { component, logPath });
  }
  const pid = postmasterPid(dataDir);
  if (pid) writePid(component, pid);
  return { exited: () => (postmasterPid(dataDir) ? undefined : 'the postmaster is gone') };
}

async function pgCtlStop(component, dataDir) {
  const pid = postmasterPid(dataDir);
  if (!pid) {
    forgetPid(component);
    return 'not running';
  }
  await runAsOwner('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30', '-s'], { timeoutMs: 45_000 });
  // pg_ctl waits for the shutdown; if it gave up, escalate like for every other server.
  const outcome = await stopProcess(pid, { graceMs: 5_000 });
  forgetPid(component);
  return outcome === 'killed' ? 'killed' : 'stopped';
}

async function systemIdentifier(dataDir) {
  const result = await runCommand(postgresBinary('pg_controldata'), ['-D', dataDir], { timeoutMs: 10_000 });
  return /Database system identifier:\s*(\d+)/.exec(result.stdout)?.[1];
}

async function prepareDirs(component) {
  mkdirSync(statePaths.data, { recursive: true });
  makeOwnedDir(socketDir, 0o755);
  makeOwnedDir(dataDirs[component]);
  await ensureOwnerCanReach(dataDirs[component], component);
}

export const postgresPrimary = {
  name: 'postgres-primary',
  startTimeoutMs: 30_000,

  runningPid: () => postmasterPid(dataDirs['postgres-primary']),

  async prepare({ topology }) {
    const dataDir = dataDirs[this.name];
    await prepareDirs(this.name);
    if (hasCluster(dataDir)) return;
    reportStep(this.name, `initdb ${dataDir.replace(`${stateRoot}/`, '.faultline/')} (first run only)`);
    const result = await runAsOwner(
      'initdb',
      ['-D', dataDir, '-U', topology.postgres.superuser, '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-instructions'],
      { logPath: logFile(this.name), timeoutMs: 120_000 },
    );
    if (result.code !== 0) throw new ProvisioningError('initdb failed', { component: this.name, logPath: logFile(this.name) });
  },

  async start(context) {
    const { env, topology } = context;
    const dataDir = dataDirs[this.name];
    writeServerConfig(dataDir, env.PG_PRIMARY_PORT, topology.postgres.primarySettings);
    writeHba(dataDir, topology.postgres);
    const handle = await pgCtlStart(this.name, dataDir);
    await this.converge(context);
    return handle;
  },

  /** Roles and databases, created only when missing (see infra/postgres/bootstrap-sql.mjs). */
  async converge({ env, topology }) {
    const result = await runCommand(
      psqlBinary,
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(env.PG_PRIMARY_PORT), '-U', topology.postgres.superuser, '-d', 'postgres', '-f', '-'],
      { input: postgresBootstrapSql(topology.postgres), timeoutMs: 60_000 },
    );
    if (result.code !== 0) {
      throw new ProvisioningError(`creating roles and databases failed: ${lastLine(result)}`, { component: this.name, logPath: logFile(this.name) });
    }
  },

  stop() {
    return pgCtlStop(this.name, dataDirs[this.name]);
  },
};

export const postgresReplica = {
  name: 'postgres-replica',
  startTimeoutMs: 60_000,

  runningPid: () => postmasterPid(dataDirs['postgres-replica']),

  async prepare({ env, topology }) {
    const dataDir = dataDirs[this.name];
    const primaryDir = dataDirs['postgres-primary'];
    await prepareDirs(this.name);
    if (hasCluster(dataDir)) {
      // A replica cloned from an earlier primary (its data was wiped since) can never catch up.
      if ((await systemIdentifier(dataDir)) === (await systemIdentifier(primaryDir))) return;
      reportStep(this.name, 'the primary was re-initialised: discarding the old replica');
      rmSync(dataDir, { recursive: true, force: true });
      makeOwnedDir(dataDir);
    }
    reportStep(this.name, 'pg_basebackup from the primary (first run only)');
    const result = await runAsOwner(
      'pg_basebackup',
      ['-R', '-X', 'stream', '-c', 'fast', '-D', dataDir, '-h', loopback, '-p', String(env.PG_PRIMARY_PORT), '-U', topology.postgres.replicationUser, '-w'],
      { logPath: logFile(this.name), timeoutMs: 300_000, env: { ...process.env, PGPASSWORD: topology.postgres.replicationPassword } },
    );
    if (result.code !== 0) {
      rmSync(join(dataDir, 'PG_VERSION'), { force: true }); // so the next `up` retries the clone
      throw new ProvisioningError('pg_basebackup failed', { component: this.name, logPath: logFile(this.name) });
    }
  },

  async start({ env, topology }) {
    const dataDir = dataDirs[this.name];
    writeServerConfig(dataDir, env.PG_REPLICA_PORT, { ...topology.postgres.primarySettings, ...topology.postgres.replicaSettings });
    writeHba(dataDir, topology.postgres);
    return pgCtlStart(this.name, dataDir);
  },

  stop() {
    return pgCtlStop(this.name, dataDirs[this.name]);
  },
};
