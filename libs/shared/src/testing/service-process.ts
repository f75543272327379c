import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFaultlineEnvFile } from '../config/index.js';

/** From spawn to a 200 on /ready: migrations on a fresh database, Kafka topics, consumers, a busy machine. */
const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** Past a service's own 10 s shutdown deadline, so a SIGKILL only ever hits a hung process. */
const STOP_TIMEOUT_MS = 15_000;

export interface ServiceProcessOptions {
  /** The folder under apps/: orders, billing, notifications, payment-provider. */
  app: string;
  /**
   * A port number when the caller must use the service's configured port (a scenario: other services
   * reach it there); `'free'` for any free port, which the environment function then receives.
   */
  port: number | 'free';
  /** The service's environment on top of this process's own; given the port actually used. */
  env?: (port: number) => Record<string, string>;
  /** Its output goes to `.faultline/logs/<logName>.log` (appended). Default `<app>`. */
  logName?: string;
  readyTimeoutMs?: number;
}

/**
 * A Faultline service started the way an operator starts it (`node apps/<app>/dist/main.js`), as a
 * child of a scenario, benchmark or test, health-gated on /ready. It can also be killed without
 * warning (`kill -9`), which is how the chaos suite crashes it.
 */
export class ServiceProcess {
  private constructor(
    readonly app: string,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.app} has no process id: it failed to spawn`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the service and resolves once its /ready answers 200. */
  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const root = workspaceRoot();
    const main = join(root, 'apps', options.app, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} does not exist: build the services first (npx tsc -b)`);
    let port: number;
    if (options.port === 'free') {
      port = await freePort();
    } else {
      port = options.port;
      await requirePortFree(options.app, port);
    }
    const env = options.env?.(port) ?? {};
    const logDir = join(root, '.faultline', 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${options.logName ?? options.app}.log`);
    const log = openSync(logFile, 'a');
    writeSync(log, `\n--- ${new Date().toISOString()} starting ${options.app} on port ${port} with ${JSON.stringify(env)}\n`);
    const child = spawn(process.execPath, [main], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
    closeSync(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = new ServiceProcess(options.app, port, logFile, child, exited);
    await service.awaitReady(options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    return service;
  }

  /** SIGTERM, then waits for the graceful shutdown; SIGKILL only if it hangs past the deadline. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    // The deadline's timer is cancelled once the process exits: left running, it would keep the
    // caller's process (a test file) alive 15 s after the service stopped.
    const deadline = new AbortController();
    const code = await Promise.race([
      this.exited,
      sleep(STOP_TIMEOUT_MS, 'timeout' as const, { signal: deadline.signal }).catch(() => 'exited' as const),
    ]);
    deadline.abort();
    if (code === 'timeout') await this.kill();
  }

  /** `kill -9`: no shutdown hook runs, open transactions and in-flight requests are cut where they are. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** The most memory the process has held resident so far (VmHWM), in MB: its peak RSS. */
  peakRssMb(): number {
    return this.procStatusKilobytes('VmHWM') / 1024;
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
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** The last lines of the service's log, for an error message. */
  logTail(lines = 15): string {
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  private procStatusKilobytes(field: 'VmHWM' | 'VmRSS'): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kilobytes = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
    if (kilobytes === undefined) throw new Error(`no ${field} in /proc/${this.pid}/status: memory figures need Linux`);
    return Number(kilobytes);
  }

  private async awaitReady(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
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
    throw new Error(`${this.app} was not ready within ${timeoutMs} ms (log: ${this.logFile}):\n${this.logTail()}`);
  }
}

/** The checkout's root: the folder that holds infra/faultline.env. */
export function workspaceRoot(): string {
  const envFile = findFaultlineEnvFile();
  if (!envFile) throw new Error('infra/faultline.env not found: run this from a Faultline checkout');
  return dirname(dirname(envFile));
}

/** Fails when something already listens on the service's port: the caller starts its own. */
export async function requirePortFree(app: string, port: number): Promise<void> {
  if (await somethingListens(port)) {
    throw new Error(
      `port ${port} (the ${app} service) is already taken — stop the running services first ` +
        '(this starts its own, in the mode it needs)',
    );
  }
}

/** A port nothing listens on now, so a test never takes a service's configured port from a scenario. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no free port');
  return port;
}

/**
 * `count` different ports nothing listens on now, for services started together that must know each
 * other's ports first. All listeners stay open until every port is chosen: one at a time, the kernel
 * may hand a just-closed port out again, and two services given one port would both pass their
 * start's /ready on the one that binds it.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** True when a TCP connection to the loopback port succeeds. */
function somethingListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
  });
}
