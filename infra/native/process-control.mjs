// Background processes of this checkout: start detached with output to the component's log file,
// remember them in pid files, recognise them again, and stop them (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { logFile, pidFile, projectRoot, statePaths } from './paths.mjs';

/**
 * What the command line of a server started by this checkout contains: a binary or jar folder of
 * .faultline, a PostgreSQL data dir of .faultline, or this checkout's MailDev. (Not just ".faultline":
 * a developer's `tail -F .faultline/logs/...` is not ours to kill.)
 */
const ownershipMarks = [
  `${statePaths.bin}/`,
  `${statePaths.kafka}/`,
  `${statePaths.temporalTestServer}/`,
  `-D ${statePaths.data}/`,
  `${join(projectRoot, 'node_modules', 'maildev')}/`,
];

/**
 * Starts a server that outlives the CLI: its own process group, stdout and stderr appended to
 * .faultline/logs/<component>.log, pid in .faultline/run/<component>.pid.
 * @returns {{ pid: number, logPath: string, exited: () => string | undefined }}
 */
export function spawnDetached(component, command, args, { cwd = projectRoot, env = process.env } = {}) {
  mkdirSync(statePaths.logs, { recursive: true });
  mkdirSync(statePaths.run, { recursive: true });
  const logPath = logFile(component);
  appendFileSync(logPath, `\n==== ${new Date().toISOString()} starting: ${command} ${args.join(' ')}\n`);
  const logFd = openSync(logPath, 'a');
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exitReason;
  child.on('error', (error) => { exitReason = `could not start ${command}: ${error.message}`; });
  child.on('exit', (code, signal) => {
    exitReason = `the process exited while starting (${signal ? `signal ${signal}` : `exit code ${code}`})`;
  });
  child.unref();
  if (child.pid !== undefined) writePid(component, child.pid);
  return { pid: child.pid, logPath, exited: () => exitReason };
}

export function writePid(component, pid) {
  mkdirSync(statePaths.run, { recursive: true });
  writeFileSync(pidFile(component), `${pid}\n`);
}

export function forgetPid(component) {
  rmSync(pidFile(component), { force: true });
}

export function readPid(component) {
  try {
    const pid = Number.parseInt(readFileSync(pidFile(component), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

export function isAlive(pid) {
  try {
    // A zombie has exited already; only its parent has not collected it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True when the process is alive and was started by this checkout (guards against reused pids). */
export function isOurs(pid) {
  const commandLine = isAlive(pid) ? commandLineOf(pid) : undefined;
  return commandLine !== undefined && ownershipMarks.some((mark) => commandLine.includes(mark));
}

/** The pid of the component's live process from its pid file, or undefined. */
export function runningPid(component) {
  const pid = readPid(component);
  return pid !== undefined && isOurs(pid) ? pid : undefined;
}

function signal(pid, name) {
  try {
    // Servers were started as group leaders: signal the group so helper children go too.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const processGroup = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    process.kill(processGroup === pid ? -pid : pid, name);
  } catch {
    // Already gone.
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (isAlive(pid)) {
    if (performance.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * SIGTERM, then SIGKILL if the process is still there after `graceMs`.
 * @returns {Promise<'stopped' | 'killed' | 'not running'>}
 */
export async function stopProcess(pid, { graceMs = 15_000 } = {}) {
  if (!isAlive(pid)) return 'not running';
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return 'stopped';
  signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return 'killed';
  throw new Error(`pid ${pid} survived SIGKILL`);
}

/** Every live server process of this checkout, pid file or not (the last-resort sweep of `down`). */
export function findOurProcesses() {
  const own = new Set([process.pid, process.ppid]);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => !own.has(pid) && isOurs(pid))
    .map((pid) => ({ pid, commandLine: commandLineOf(pid) }));
}
