// PostgreSQL 15 primary and streaming replica from the system binaries (/usr/lib/postgresql/15/bin),
// run as the cluster owner (postgres-cluster-owner.mjs).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loopback } from '../../topology.mjs';
import { postgresBootstrapSql } from '../../postgres/bootstrap-sql.mjs';
import { logFile, statePaths, stateRoot } from '../paths.mjs';
import { forgetPid, isOurs, stopProcess, writePid } from '../process-control.mjs';
import { postgresBinary, psqlBinary, socketDir } from '../postgres-client.mjs';
import { ensureOwnerCanReach, makeOwnedDir, makeOwnedLog, runAsOwner } from '../postgres-cluster-owner.mjs';
import { writeHba, writeServerConfig } from '../postgres-server-files.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';
import { reportStep } from '../progress.mjs';
import { lastLine, runCommand } from '../run-command.mjs';

const dataDirs = {
  'postgres-primary': join(statePaths.data, 'pg-primary'),
  'postgres-replica': join(statePaths.data, 'pg-replica'),
};

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
