// up / down / status / logs over the topology, delegating the specifics to infra/native/components/.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { faultlineTopology, loopback, startOrder } from '../topology.mjs';
import { ensureBrowser } from './browser.mjs';
import { nativeComponents } from './components/index.mjs';
import { loadFaultlineEnv } from './env.mjs';
import { runHealthChecks } from './health-checks.mjs';
import { logFile, stateRoot } from './paths.mjs';
import { missingPrerequisite } from './prerequisites.mjs';
import { describePortHolder, portIsFree } from './probes.mjs';
import { findOurProcesses, forgetPid, stopProcess } from './process-control.mjs';
import { ProvisioningError } from './provisioning-error.mjs';
import { reportDone, reportStep } from './progress.mjs';
import { waitUntilHealthy } from './wait-until.mjs';

function loadTopology() {
  const env = loadFaultlineEnv();
  return { env, topology: faultlineTopology(env) };
}

function selectComponents(topology, name, { withDependencies }) {
  const ordered = startOrder(topology.components);
  if (!name) return ordered;
  const target = ordered.find((component) => component.name === name);
  if (!target) {
    throw new ProvisioningError(`unknown component '${name}'; known: ${ordered.map((c) => c.name).join(', ')}`);
  }
  if (!withDependencies) return [target];
  const needed = new Set([name]);
  for (const component of [...ordered].reverse()) {
    if (needed.has(component.name)) component.dependsOn.forEach((dependency) => needed.add(dependency));
  }
  return ordered.filter((component) => needed.has(component.name));
}

const addresses = (spec) => spec.ports.map((p) => `${loopback}:${p.port}`).join(', ');

function contextFor(spec, env, topology) {
  return { env, topology, spec, logPath: logFile(spec.name) };
}

function healthProbe(spec, implementation, context) {
  return () => runHealthChecks(spec.health, context.env, implementation.healthChecks?.(context));
}

/** A port held by someone else is the one failure that two checkouts on one machine cause. */
async function assertPortsFree(spec, implementation, context) {
  const ports = [...spec.ports, ...(implementation.extraPorts?.(context) ?? [])];
  for (const { port, variable } of ports) {
    if (await portIsFree(port)) continue;
    const holder = await describePortHolder(port);
    throw new ProvisioningError(`port ${port} (${variable}) is already taken by ${holder}, which this checkout did not start`, {
      component: spec.name,
      hint: `stop that process (another checkout? run its \`npm run infra:down\`) or set ${variable} to a free port`,
    });
  }
}

/**
 * Starts a component's build (a Go compile, a Debian package install): it needs nothing running, so
 * every build starts at once when `up` begins, and on a new machine the Go builds overlap each other
 * and the Maven downloads instead of queueing. The component's start awaits the promise.
 */
function startBuild(spec, implementation, context) {
  if (!implementation.build) return Promise.resolve();
  const began = performance.now();
  const building = implementation.build(context).then(() => {
    if (performance.now() - began > 1_000) reportDone(spec.name, 'built (first run only)', began);
  });
  // The component's start awaits this promise and reports a failure; until then it is not "unhandled".
  building.catch(() => {});
  return building;
}

async function prepare(spec, implementation, context) {
  const began = performance.now();
  await implementation.prepare?.(context);
  // One-time setup gets its own line, so a "ready" time measures the start alone.
  if (performance.now() - began > 1_000) reportDone(spec.name, 'prepared (one-time setup)', began);
}

async function upComponent(spec, env, topology, built) {
  const implementation = nativeComponents[spec.name];
  const context = contextFor(spec, env, topology);
  await built;

  if (implementation.onDemand) {
    await prepare(spec, implementation, context);
    const provisionedAt = performance.now();
    reportDone(spec.name, await implementation.provision(context), provisionedAt);
    return;
  }

  const began = performance.now();
  const pid = implementation.runningPid(context);
  if (pid) {
    await implementation.converge?.(context);
    const health = await waitUntilHealthy(healthProbe(spec, implementation, context), { timeoutMs: 15_000 });
    if (!health.ok) {
      throw new ProvisioningError(`running (pid ${pid}) but unhealthy: ${health.detail}`, {
        component: spec.name,
        logPath: context.logPath,
        hint: `node infra/native/cli.mjs down ${spec.name}, then up again`,
      });
    }
    reportDone(spec.name, `already running on ${addresses(spec)} (pid ${pid})`, began);
    return;
  }

  await assertPortsFree(spec, implementation, context);
  await prepare(spec, implementation, context);
  const startedAt = performance.now();
  try {
    const handle = await implementation.start(context);
    const health = await waitUntilHealthy(healthProbe(spec, implementation, context), {
      timeoutMs: implementation.startTimeoutMs,
      exited: handle?.exited,
    });
    if (!health.ok) throw new ProvisioningError(health.detail, { component: spec.name, logPath: context.logPath });
  } catch (error) {
    // Do not leave a half-started server behind: the next `up` would find it "running but unhealthy".
    await stopComponent(spec, env, topology).catch(() => {});
    throw error;
  }
  reportDone(spec.name, `ready on ${addresses(spec)} (pid ${implementation.runningPid(context)})`, startedAt);
}

export async function up(componentName) {
  const missing = missingPrerequisite();
  if (missing) throw new ProvisioningError(missing);
  // With the whole system only: one component started alone is a test's or a tool's own need.
  if (componentName === undefined) await ensureBrowser();
  const { env, topology } = loadTopology();
  const began = performance.now();
  const selected = selectComponents(topology, componentName, { withDependencies: true });
  // A failed start stops the builds still running: the command's failure is then its last word.
  const stopBuilds = new AbortController();
  const builds = new Map(
    selected.map((spec) => [spec.name, startBuild(spec, nativeComponents[spec.name], { ...contextFor(spec, env, topology), signal: stopBuilds.signal })]),
  );
  for (const spec of selected) {
    try {
      await upComponent(spec, env, topology, builds.get(spec.name));
    } catch (error) {
      stopBuilds.abort();
      if (error instanceof ProvisioningError) {
        error.component ??= spec.name;
        throw error;
      }
      throw new ProvisioningError(error.message, { component: spec.name, logPath: logFile(spec.name) });
    }
  }
  reportDone('all', `up; state in ${stateRoot}`, began);
}

async function stopComponent(spec, env, topology) {
  const implementation = nativeComponents[spec.name];
  const context = contextFor(spec, env, topology);
  const pid = implementation.runningPid(context);
  if (!pid) {
    forgetPid(spec.name);
    return 'not running';
  }
  const outcome = implementation.stop
    ? await implementation.stop(context)
    : await stopProcess(pid, { graceMs: implementation.stopGraceMs ?? 15_000 });
  forgetPid(spec.name);
  return outcome;
}

export async function down(componentName) {
  const { env, topology } = loadTopology();
  const began = performance.now();
  const selected = selectComponents(topology, componentName, { withDependencies: false });
  for (const spec of [...selected].reverse()) {
    const startedAt = performance.now();
    const outcome = await stopComponent(spec, env, topology);
    if (outcome === 'not running') reportDone(spec.name, 'not running');
    else reportDone(spec.name, outcome === 'killed' ? 'stopped (had to SIGKILL)' : 'stopped', startedAt);
  }
  if (componentName) return;

  // Anything still pointing into .faultline (a crashed CLI's half-started server, a test server the
  // tests did not reap) is ours too.
  for (const { pid, commandLine } of findOurProcesses()) {
    await stopProcess(pid, { graceMs: 5_000 });
    reportStep('stray', `stopped pid ${pid}: ${commandLine.slice(0, 100)}`);
  }
  const left = findOurProcesses();
  if (left.length) {
    throw new ProvisioningError(`processes survived: ${left.map((p) => `${p.pid} ${p.commandLine}`).join('; ')}`);
  }
  reportDone('all', 'down; no process of this checkout is left', began);
}

export async function status() {
  const { env, topology } = loadTopology();
  const rows = await Promise.all(
    startOrder(topology.components).map(async (spec) => {
      const implementation = nativeComponents[spec.name];
      const context = contextFor(spec, env, topology);
      const ports = spec.ports.map((p) => p.port).join(',');
      if (implementation.onDemand) return [spec.name, implementation.status(context), ports, '-'];
      const pid = implementation.runningPid(context);
      if (!pid) {
        const taken = !(await portIsFree(spec.ports[0].port));
        return [spec.name, taken ? `stopped (port taken by ${await describePortHolder(spec.ports[0].port)})` : 'stopped', ports, '-'];
      }
      const health = await healthProbe(spec, implementation, context)();
      return [spec.name, health.ok ? 'healthy' : `unhealthy: ${health.detail}`, ports, String(pid)];
    }),
  );
  const table = [['COMPONENT', 'STATE', 'PORT', 'PID'], ...rows];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((row) => row[column].length)));
  for (const row of table) {
    console.log([row[0].padEnd(widths[0]), row[1].padEnd(widths[1]), row[2].padEnd(widths[2]), row[3]].join('  '));
  }
}

/**
 * The log files of the infrastructure's components, then of the services `npm start` and the demo
 * run (they write beside them); one component's or service's when named.
 */
export async function logs(componentName, { follow }) {
  const { topology } = loadTopology();
  const components = startOrder(topology.components).map((spec) => spec.name);
  const serviceLogs = topology.services.map((service) => service.name).filter((name) => existsSync(logFile(name)));
  if (componentName && !components.includes(componentName) && !serviceLogs.includes(componentName)) {
    throw new ProvisioningError(`no component or service log '${componentName}'; known: ${[...components, ...serviceLogs].join(', ')}`);
  }
  const names = componentName ? [componentName] : [...components, ...serviceLogs];
  const paths = names.map(logFile).filter(existsSync);
  if (!paths.length) {
    console.log(`no logs yet (they go to ${logFile('<component>')})`);
    return;
  }
  if (follow) {
    await new Promise((resolve) => spawn('tail', ['-n', '20', '-F', ...paths], { stdio: 'inherit' }).on('exit', resolve));
    return;
  }
  const lines = componentName ? 60 : 15;
  for (const path of paths) {
    console.log(`==> ${path} <==`);
    console.log(tail(path, lines));
  }
}

export function tail(path, lineCount) {
  try {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    return lines.slice(-lineCount).join('\n');
  } catch {
    return '(no log file)';
  }
}
