// Runs a short-lived command to completion (builds, pg_ctl, psql, health CLIs).
import { spawn } from 'node:child_process';
import { openSync, closeSync, appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const outputLimit = 1 << 20;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, input?: string, timeoutMs?: number, logPath?: string, signal?: AbortSignal }} [options]
 *   logPath: append stdout and stderr to this file instead of capturing them (for long builds).
 *   signal: aborting it kills the command (SIGTERM), and the promise rejects.
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string }>}
 */
export function runCommand(command, args, { cwd, env, input, timeoutMs = 120_000, logPath, signal } = {}) {
  return new Promise((resolve, reject) => {
    let logFd;
    if (logPath) {
      mkdirSync(dirname(logPath), { recursive: true });
      appendFileSync(logPath, `\n$ ${[command, ...args].join(' ')}\n`);
      logFd = openSync(logPath, 'a');
    }
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      signal,
      stdio: [input === undefined ? 'ignore' : 'pipe', logFd ?? 'pipe', logFd ?? 'pipe'],
    });
    if (logFd !== undefined) closeSync(logFd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => { if (stdout.length < outputLimit) stdout += chunk; });
    child.stderr?.on('data', (chunk) => { if (stderr.length < outputLimit) stderr += chunk; });
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The last non-empty line of a command's output, to explain a failure in one line. */
export function lastLine(result) {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? `exit code ${result.code ?? result.signal}`;
}
