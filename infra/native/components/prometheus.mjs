// Prometheus from Debian's `prometheus` package: our own instance, our own config and data under
// .faultline, on PROMETHEUS_PORT. It scrapes every service's /metrics and evaluates the alert rules
// of infra/prometheus/alerts.yml (article 3: dead letters, retries and lag are watched, not found).
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loopback } from '../../topology.mjs';
import { renderPrometheusConfig } from '../../prometheus/scrape-config.mjs';
import { infraDir, logFile, stateRoot } from '../paths.mjs';
import { findOnPath } from '../prerequisites.mjs';
import { commandLineOf, isAlive, readPid, spawnDetached } from '../process-control.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';
import { reportStep } from '../progress.mjs';
import { runCommand } from '../run-command.mjs';

const debianPackage = 'prometheus';
const stateDir = join(stateRoot, 'prometheus');
const configPath = join(stateDir, 'prometheus.yml');
const dataDir = join(stateDir, 'data');
export const alertRulesPath = join(infraDir, 'prometheus', 'alerts.yml');

/**
 * Debian's maintainer script starts the packaged daemon (on :9090, with /etc/prometheus) unless
 * policy-rc.d says no. We never want that instance: a second Prometheus nobody configured would
 * scrape nothing of ours and hold a port. So the install runs under a policy-rc.d that denies every
 * start (exit 101), created only if the machine has none, and removed again afterwards.
 */
async function installFromDebian(component) {
  if (process.getuid?.() !== 0) {
    throw new ProvisioningError(`prometheus is not installed: run \`apt-get install -y --no-install-recommends ${debianPackage}\` as root`, {
      component,
    });
  }
  reportStep(component, `installing Debian's ${debianPackage} package (first run only)`);
  const policyPath = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policyPath);
  if (ownPolicy) writeFileSync(policyPath, '#!/bin/sh\n# temporary, by faultline infra/native/components/prometheus.mjs\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', debianPackage]]) {
      const result = await runCommand('apt-get', args, { env, timeoutMs: 600_000, logPath: logFile(component) });
      if (result.code !== 0) {
        throw new ProvisioningError(`apt-get ${args.join(' ')} failed (exit ${result.code})`, { component, logPath: logFile(component) });
      }
    }
  } finally {
    if (ownPolicy) unlinkSync(policyPath);
  }
}

function binary(name) {
  return findOnPath(name) ?? (existsSync(`/usr/bin/${name}`) ? `/usr/bin/${name}` : undefined);
}

export const prometheus = {
  name: 'prometheus',
  startTimeoutMs: 30_000,

  /** Ours when the command line names our config file (the binary is Debian's, not under .faultline). */
  runningPid() {
    const pid = readPid('prometheus');
    return pid !== undefined && isAlive(pid) && commandLineOf(pid)?.includes(configPath) ? pid : undefined;
  },

  async build() {
    if (!binary('prometheus') || !binary('promtool')) await installFromDebian(this.name);
  },

  async start({ env, topology }) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(configPath, renderPrometheusConfig(topology, { serviceHost: loopback, rulesPath: alertRulesPath }));
    const check = await runCommand(binary('promtool') ?? 'promtool', ['check', 'config', configPath], { timeoutMs: 30_000 });
    if (check.code !== 0) {
      throw new ProvisioningError(`promtool check config rejected ${configPath}: ${(check.stdout + check.stderr).trim()}`, { component: this.name });
    }
    return spawnDetached(this.name, binary('prometheus') ?? 'prometheus', [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=${loopback}:${env.PROMETHEUS_PORT}`,
      // Seven days is plenty for a sandbox and keeps .faultline small.
      '--storage.tsdb.retention.time=7d',
      '--web.enable-lifecycle',
    ]);
  },
};
