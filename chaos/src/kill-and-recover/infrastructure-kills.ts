import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { workspaceRoot } from '@faultline/shared/testing';
import { OutageLog } from '../outage-log.js';

const run = promisify(execFile);

/** The infrastructure the run kills: the broker and the primary (the replica must stream again after). */
export type InfrastructureComponent = 'kafka' | 'postgres-primary';

/** `up <component>` is health-gated; PostgreSQL crash recovery and a KRaft broker restart fit well inside this. */
const UP_TIMEOUT_MS = 180_000;

/** `node infra/native/cli.mjs`, the native provisioning's own command line (never `down`). */
function cli(...args: string[]): Promise<{ stdout: string }> {
  const root = workspaceRoot();
  return run(process.execPath, [join(root, 'infra', 'native', 'cli.mjs'), ...args], { cwd: root, timeout: UP_TIMEOUT_MS });
}

/** The PID column of `cli.mjs status` for one component (the postmaster, the broker's JVM). */
export async function componentPid(component: string): Promise<number> {
  const { stdout } = await cli('status');
  const line = stdout.split('\n').find((row) => row.split(/\s+/)[0] === component);
  const pid = Number(line?.trim().split(/\s+/).at(-1));
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no running ${component} in \`node infra/native/cli.mjs status\`:\n${stdout}`);
  return pid;
}

export async function componentHealthy(component: string): Promise<boolean> {
  const { stdout } = await cli('status');
  const line = stdout.split('\n').find((row) => row.split(/\s+/)[0] === component);
  return line?.split(/\s+/)[1] === 'healthy';
}

/** `up <component>`: idempotent and health-gated, so it is also the "make sure it is back" of a `finally`. */
export async function bringUp(component: string): Promise<void> {
  await cli('up', component);
}

/**
 * `kill -9` the component's main process (PostgreSQL: the postmaster, whose backends die with it),
 * keep it down for `outageMs`, then `up` it. Returns how long `up` took. Each outage goes to the
 * checkout's outage log (OutageLog) before the kill and again once the component is healthy.
 */
export async function killAndRestart(
  component: InfrastructureComponent,
  outageMs: number,
  wait: (ms: number) => Promise<void>,
  log: OutageLog = new OutageLog(),
): Promise<number> {
  const pid = await componentPid(component);
  const outage = { start: new Date().toISOString(), component, what: `kill -9 (pid ${pid}) by chaos kill-and-recover, restarted after ${outageMs / 1000} s` };
  log.started(outage);
  let upMs = 0;
  try {
    process.kill(pid, 'SIGKILL');
    await wait(outageMs);
  } finally {
    const restartedAt = performance.now();
    await bringUp(component);
    // The replica's walreceiver reconnects on its own; `up` restarts it if it gave up meanwhile.
    if (component === 'postgres-primary' && !(await componentHealthy('postgres-replica'))) await bringUp('postgres-replica');
    upMs = performance.now() - restartedAt;
    log.ended({ ...outage, end: new Date().toISOString() });
  }
  return upMs;
}

/**
 * Waits until the primary reports its replica streaming again (pg_stat_replication), so article 7's
 * suites find the topology they expect; returns how long that took, or undefined if it did not.
 */
export async function awaitReplicaStreaming(withinMs: number): Promise<number | undefined> {
  const env = readFaultlineEnvironment();
  const started = performance.now();
  while (performance.now() - started < withinMs) {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: Number(env.PG_PRIMARY_PORT),
      user: env.PG_SUPERUSER,
      password: env.PG_SUPERUSER_PASSWORD,
      database: 'postgres',
    });
    const streaming = await client
      .connect()
      .then(() => client.query<{ streaming: boolean }>("SELECT count(*) > 0 AS streaming FROM pg_stat_replication WHERE state = 'streaming'"))
      .then((result) => result.rows[0]?.streaming === true)
      .catch(() => false)
      .finally(() => client.end().catch(() => undefined));
    if (streaming) return performance.now() - started;
    await sleep(500);
  }
  return undefined;
}
