import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { findFaultlineEnvFile } from '@faultline/shared/config';
import type { ScenarioRun, ScenarioRunState, ScenarioSummary, ScenariosView } from '../console-api.js';
import { CONSOLE_LOGGER } from '../console-tokens.js';

/** The runs the page lists; the oldest beyond these are dropped. */
const KEPT_RUNS = 10;
/** A run's narration is a few hundred lines; one that prints far more is cut, saying so. */
const MAX_LINES = 5_000;
/** `--list --json` answers within this, or the page says the scenarios could not be listed. */
const LIST_TIMEOUT_MS = 30_000;

/** Why a run is refused: another is running, or the name or mode is not one the command knows. */
export class ScenarioRunRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409,
  ) {
    super(message);
  }
}

/**
 * Runs the workshop's scenarios from the page exactly as a person runs them: the built
 * `npm run scenario` command (`scenarios/dist/cli.js <name> --mode <mode>`) in a child process of its
 * own process group, its narration kept line by line, its exit code the verdict (0: it showed what
 * its mode promises). One at a time: each scenario starts the services it drives on their configured
 * ports. Stopping the console stops the run and every service it started.
 */
@Injectable()
export class ScenarioRunner implements OnApplicationShutdown {
  private readonly root?: string;
  private catalogue?: Promise<ScenarioSummary[]>;
  private readonly runs: ScenarioRun[] = [];
  private child?: ChildProcess;
  private stopping = false;
  private nextId = 1;

  constructor(@Inject(CONSOLE_LOGGER) private readonly logger: Logger) {
    const envFile = findFaultlineEnvFile();
    this.root = envFile ? dirname(dirname(envFile)) : undefined;
  }

  private get cli(): string | undefined {
    const cli = this.root && join(this.root, 'scenarios', 'dist', 'cli.js');
    return cli && existsSync(cli) ? cli : undefined;
  }

  async view(): Promise<ScenariosView> {
    const runs = this.runs.map(({ lines: _lines, ...run }) => run).reverse();
    const current = this.runs.at(-1);
    try {
      return { scenarios: await this.scenarios(), runs, current };
    } catch (error) {
      this.catalogue = undefined;
      return { scenarios: [], problem: (error as Error).message, runs, current };
    }
  }

  run(id: number): ScenarioRun | undefined {
    return this.runs.find((run) => run.id === id);
  }

  async start(name: string, mode: 'naive' | 'correct'): Promise<ScenarioRun> {
    const running = this.runs.find((run) => run.state === 'running');
    if (running) throw new ScenarioRunRefused(`${running.scenario} (${running.mode}) is still running: one scenario at a time, as each starts its services on their own ports`, 409);
    if (!(await this.scenarios()).some((scenario) => scenario.name === name)) throw new ScenarioRunRefused(`there is no scenario named ${JSON.stringify(name.slice(0, 60))}`, 400);
    const cli = this.requireCli();
    const run: ScenarioRun = {
      id: this.nextId++,
      scenario: name,
      mode,
      command: `npm run scenario -- ${name} --mode ${mode}`,
      state: 'running',
      startedAt: new Date().toISOString(),
      lines: [],
    };
    this.runs.push(run);
    this.runs.splice(0, Math.max(0, this.runs.length - KEPT_RUNS));
    const child = spawn(process.execPath, [cli, name, '--mode', mode], { cwd: this.root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.stopping = false;
    const keep = (line: string) => {
      if (run.lines.length < MAX_LINES) run.lines.push(line);
      else if (run.lines.length === MAX_LINES) run.lines.push(`… more than ${MAX_LINES} lines: the rest is not kept`);
    };
    createInterface({ input: child.stdout }).on('line', keep);
    createInterface({ input: child.stderr }).on('line', keep);
    const end = (state: ScenarioRunState, exitCode: number | null) => {
      if (run.state !== 'running') return;
      Object.assign(run, { state, exitCode, endedAt: new Date().toISOString() });
      if (this.child === child) this.child = undefined;
      this.logger.info({ scenario: name, mode, state, exitCode }, 'scenario run ended');
    };
    child.once('error', (error) => {
      keep(`✗ the scenario command did not start: ${error.message}`);
      end('could-not-run', null);
    });
    child.once('close', (code) => {
      if (this.stopping) return end('stopped', code);
      end(code === 0 ? 'showed-its-promise' : run.lines.some((line) => line.includes('could not run')) ? 'could-not-run' : 'did-not-show-its-promise', code);
    });
    this.logger.info({ scenario: name, mode, pid: child.pid }, 'scenario run started from the console');
    return run;
  }

  /** Stops the run in progress, and the services it started; false when it is not running. */
  stop(id: number): boolean {
    const run = this.run(id);
    if (run?.state !== 'running' || !this.child) return false;
    this.stopping = true;
    run.lines.push('■ stopped from the console');
    this.signalRun();
    return true;
  }

  onApplicationShutdown(): void {
    this.signalRun();
  }

  /** The scenario and the services it started share its process group: SIGTERM reaches all of them. */
  private signalRun(): void {
    if (!this.child?.pid) return;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }

  private requireCli(): string {
    const cli = this.cli;
    if (!cli) throw new ScenarioRunRefused(`the scenarios are not built${this.root ? ` (${join(this.root, 'scenarios', 'dist', 'cli.js')} is missing)` : ''}: run npm run build`, 409);
    return cli;
  }

  private scenarios(): Promise<ScenarioSummary[]> {
    this.catalogue ??= new Promise<ScenarioSummary[]>((resolve, reject) => {
      let cli: string;
      try {
        cli = this.requireCli();
      } catch (error) {
        reject(error as Error);
        return;
      }
      const child = spawn(process.execPath, [cli, '--list', '--json'], { cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'], timeout: LIST_TIMEOUT_MS });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code) => {
        if (code !== 0) reject(new Error(`npm run scenario -- --list --json failed (exit ${code}): ${err.trim().slice(0, 300)}`));
        else {
          try {
            resolve(JSON.parse(out) as ScenarioSummary[]);
          } catch (error) {
            reject(new Error(`npm run scenario -- --list --json printed no JSON: ${(error as Error).message}`));
          }
        }
      });
    });
    return this.catalogue;
  }
}
