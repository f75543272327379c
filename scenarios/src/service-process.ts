import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { workspaceRoot } from './environment.js';

/** How long a service may take from spawn to a 200 on /ready: migrations, Kafka topics, consumers. */
const READY_TIMEOUT_MS = 30_000;
/** Past the service's own 10 s shutdown deadline, so a SIGKILL only ever hits a hung process. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * A Faultline service started the way an operator starts it (`node apps/<app>/dist/main.js`) as a
 * child of the scenario, with the environment the scenario's mode needs. Its output goes to
 * `.faultline/logs/scenario-<app>.log`.
 */
export class ServiceProcess {
  private constructor(
    readonly app: string,
    readonly url: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  /** Spawns the service and resolves once its /ready answers 200. */
  static async start(app: string, port: number, env: Record<string, string>): Promise<ServiceProcess> {
    await requirePortFree(app, port);
    const root = workspaceRoot();
    const logDir = join(root, '.faultline', 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `scenario-${app}.log`);
    const log = openSync(logFile, 'a');
    writeSync(log, `\n--- ${new Date().toISOString()} scenario starts ${app} with ${JSON.stringify(env)}\n`);
    const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = new ServiceProcess(app, `http://127.0.0.1:${port}`, logFile, child, exited);
    await service.awaitReady();
    return service;
  }

  /** SIGTERM, then waits for the graceful shutdown; SIGKILL only if it hangs past the deadline. */
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
      if (exitCode !== undefined) {
        throw new Error(`${this.app} exited with code ${exitCode} before it was ready:\n${this.logTail()}`);
      }
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

/** Fails when something already listens on the service's port: the scenario starts its own. */
export async function requirePortFree(app: string, port: number): Promise<void> {
  if (await somethingListens(port)) {
    throw new Error(
      `port ${port} (the ${app} service) is already taken — stop the running services first ` +
        '(the scenario starts its own, in the mode it shows)',
    );
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
