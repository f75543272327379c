// The services as `npm start` and `npm run demo` run them on this machine: each built service in a
// process of its own, its output in .faultline/logs/<name>.log (beside the infrastructure's, where
// `npm run infra:logs` looks), its pid in .faultline/services/<name>.pid so `npm stop` finds it
// from another terminal.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const env = { ...parseEnv(readFileSync(join(root, 'infra', 'faultline.env'), 'utf8')), ...process.env };
export const logs = join(root, '.faultline', 'logs');
const pids = join(root, '.faultline', 'services');

/**
 * The workshop console (apps/console: it only reads the others, so it may come first and its address
 * is the first printed), then the services of infra/topology.mjs, the identity provider first: every
 * service trusts its tokens, and orders asks it for its own at start-up.
 */
export const services = ['console', 'identity', 'orders', 'billing', 'notifications', 'payment-provider'].map((name) => ({
  name,
  port: Number(env[`${name.toUpperCase().replaceAll('-', '_')}_HTTP_PORT`]),
}));

/** The infrastructure (unless FAULTLINE_INFRA=external says it already runs), then a build of every project. */
export function provisionAndBuild() {
  if (process.env.FAULTLINE_INFRA === 'external') {
    console.log('\n▶ infrastructure: FAULTLINE_INFRA=external, using what is already running (docker compose?)');
  } else {
    runStep('infrastructure (npm run infra:up)', process.execPath, [join(root, 'infra', 'native', 'cli.mjs'), 'up']);
  }
  runStep('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);
}

function runStep(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (result.status !== 0) throw new Error(`${title} failed`);
}

const entryPoint = (name) => join(root, 'apps', name, 'dist', 'main.js');

/**
 * Starts every service (built beforehand), or those named in `only`, and waits until each answers
 * /ready. Refuses when one of them is already running from this checkout, or its port is taken,
 * with the command that frees it. `environmentOf(name)` adds variables for one service.
 */
export async function startServices({ environmentOf = () => ({}), timeoutMs = 60_000, only } = {}) {
  const chosen = only ? services.filter((service) => only.includes(service.name)) : services;
  const alreadyRunning = runningServices().filter((running) => chosen.some((service) => service.name === running.name));
  if (alreadyRunning.length) {
    throw new Error(`${alreadyRunning.map((s) => `${s.name} (pid ${s.pid})`).join(', ')} already running from this checkout: npm stop ends them`);
  }
  for (const service of chosen) {
    if (await answers(service.port)) throw new Error(`port ${service.port} (${service.name}) is taken by another process: stop it first`);
  }
  mkdirSync(logs, { recursive: true });
  mkdirSync(pids, { recursive: true });
  const started = chosen.map((service) => {
    const log = join(logs, `${service.name}.log`);
    const output = openSync(log, 'a');
    const child = spawn(process.execPath, ['--enable-source-maps', entryPoint(service.name)], {
      cwd: root,
      stdio: ['ignore', output, output],
      env: { ...process.env, ...environmentOf(service.name) },
    });
    writeFileSync(join(pids, `${service.name}.pid`), String(child.pid));
    child.once('exit', () => rmSync(join(pids, `${service.name}.pid`), { force: true }));
    return { ...service, process: child, log };
  });
  try {
    for (const service of started) {
      const since = Date.now();
      await waitUntilReady(service, timeoutMs);
      console.log(`✓ ${service.name.padEnd(16)} ready on http://127.0.0.1:${service.port} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
    }
  } catch (error) {
    await stopStarted(started);
    throw error;
  }
  return started;
}

async function waitUntilReady(service, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with code ${service.process.exitCode}; see ${service.log}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/ready`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s (${last}); see ${service.log}`);
}

/** Whether anything answers HTTP on the port (any status). */
export async function answers(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

/** Stops services this process started: SIGTERM (in-flight work finishes, connections close), SIGKILL after 10 s. */
export function stopStarted(started) {
  return Promise.all(
    started.map(
      (service) =>
        new Promise((resolve) => {
          if (service.process.exitCode !== null || service.process.signalCode !== null) return resolve();
          service.process.once('exit', resolve);
          service.process.kill('SIGTERM');
          setTimeout(() => service.process.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
}

/**
 * The services another process of this checkout started and that still run: a pid file whose
 * process still runs this checkout's service entry point (a pid the system reused is ignored).
 */
export function runningServices() {
  if (!existsSync(pids)) return [];
  return readdirSync(pids)
    .filter((file) => file.endsWith('.pid'))
    .map((file) => ({ name: file.slice(0, -'.pid'.length), pid: Number(readFileSync(join(pids, file), 'utf8')) }))
    .filter(({ name, pid }) => {
      const ours = commandLineOf(pid)?.includes(entryPoint(name)) ?? false;
      if (!ours) rmSync(join(pids, `${name}.pid`), { force: true });
      return ours;
    });
}

function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** Stops services started by another process (`npm stop`): SIGTERM, then SIGKILL for any still running after 10 s. */
export async function stopRunningServices() {
  const running = runningServices();
  for (const { pid } of running) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && running.some(({ pid }) => isAlive(pid))) await new Promise((resolve) => setTimeout(resolve, 200));
  for (const { pid } of running.filter(({ pid }) => isAlive(pid))) process.kill(pid, 'SIGKILL');
  for (const { name } of running) rmSync(join(pids, `${name}.pid`), { force: true });
  return running;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Where a person looks once the services run. */
export function whereToLook() {
  return `  console           http://127.0.0.1:${env.CONSOLE_HTTP_PORT} (the system live on one page)
  identity          http://127.0.0.1:${env.IDENTITY_HTTP_PORT}/.well-known/openid-configuration (sign-up: POST /accounts)
  orders API        http://127.0.0.1:${env.ORDERS_HTTP_PORT}/docs
  billing API       http://127.0.0.1:${env.BILLING_HTTP_PORT}/docs
  notifications API http://127.0.0.1:${env.NOTIFICATIONS_HTTP_PORT}/docs
  payment provider  http://127.0.0.1:${env.PAYMENT_PROVIDER_HTTP_PORT}/docs (faults: PUT /admin/faults)
  Temporal UI       http://127.0.0.1:${env.TEMPORAL_UI_PORT}
  mail (MailDev)    http://127.0.0.1:${env.MAILDEV_WEB_PORT}
  traces (Jaeger)   http://127.0.0.1:${env.JAEGER_QUERY_HTTP_PORT}/api/services (API; /api/traces/<trace id>)
  logs              ${logs} (npm run infra:logs)`;
}
