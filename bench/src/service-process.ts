import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { OutboxTable } from '@faultline/shared/outbox';

/** From spawn to a 200 on /ready: migrations on a fresh database, Kafka topics, consumers. */
const READY_TIMEOUT_MS = 60_000;
/** Past a service's own 10 s shutdown deadline, so SIGKILL only ever hits a hung process. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * A Faultline service run as an operator runs it (`node apps/<app>/dist/main.js`), on a free port,
 * with the environment the benchmark gives it, health-gated on /ready; its output goes to
 * .faultline/logs/bench-<app>.log. (scenarios/ has the same for scenarios; the bench may depend
 * only on libs/shared, and also needs the process id to read its memory.)
 */
export class ServiceProcess {
  private constructor(
    readonly app: string,
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
    private readonly logFile: string,
  ) {}

  static async start(workspaceRoot: string, app: string, env: (port: number) => Record<string, string>): Promise<ServiceProcess> {
    const main = join(workspaceRoot, 'apps', app, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} does not exist: build the services first (npx tsc -b)`);
    const port = await freePort();
    const logDir = join(workspaceRoot, '.faultline', 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `bench-${app}.log`);
    const log = openSync(logFile, 'w');
    const child = spawn(process.execPath, [main], { cwd: workspaceRoot, env: { ...process.env, ...env(port) }, stdio: ['ignore', log, log] });
    closeSync(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = new ServiceProcess(app, `http://127.0.0.1:${port}`, child, exited, logFile);
    await service.awaitReady();
    return service;
  }

  /** The most memory the process has held resident so far (VmHWM), in MB: its peak RSS. */
  peakRssMb(): number {
    return this.procStatusKilobytes('VmHWM') / 1024;
  }

  private procStatusKilobytes(field: 'VmHWM' | 'VmRSS'): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kilobytes = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
    if (kilobytes === undefined) throw new Error(`no ${field} in /proc/${this.child.pid}/status: memory figures need Linux`);
    return Number(kilobytes);
  }

  /** The resident memory now (VmRSS), in MB. */
  rssMb(): number {
    return this.procStatusKilobytes('VmRSS') / 1024;
  }

  /**
   * CPU time the process has used so far (user + system), in seconds: fields 14 and 15 of
   * /proc/<pid>/stat, in clock ticks of 1/100 s (USER_HZ, 100 on every Linux this runs on).
   */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const code = await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private async awaitReady(): Promise<void> {
    const deadline = performance.now() + READY_TIMEOUT_MS;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (performance.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${this.app} exited with code ${exitCode} before it was ready:\n${this.logTail()}`);
      const ready = await fetch(`${this.url}/ready`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) return;
      await sleep(200);
    }
    await this.stop();
    throw new Error(`${this.app} was not ready within ${READY_TIMEOUT_MS} ms (log: ${this.logFile}):\n${this.logTail()}`);
  }

  private logTail(): string {
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
  }
}

/** A port nothing listens on now: the bench never takes a service's configured port from a scenario. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Takes the outbox relay's leader lock of `service` on `client`'s database before the service
 * starts, so its relay stands by and publishes nothing: the benchmark measures the command up to the
 * committed outbox row, and the service's topic is shared with every other suite.
 */
export async function holdRelayLock(client: pg.Client, service: string, table = 'outbox'): Promise<void> {
  const key = new OutboxTable(table).leaderLockKey(service);
  const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
  if (result.rows[0]?.locked !== true) throw new Error(`the ${service} relay lock is taken in ${client.database}: is another bench running?`);
}
