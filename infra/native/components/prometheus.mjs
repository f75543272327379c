// Prometheus from Debian's `prometheus` package: our own instance, our own config and data under
// .faultline, on PROMETHEUS_PORT. It scrapes every service's /metrics and evaluates the alert rules
// of infra/prometheus/alerts.yml (article 3: dead letters, retries and lag are watched, not found).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loopback } from '../../topology.mjs';
import { renderPrometheusConfig } from '../../prometheus/scrape-config.mjs';
import { installDebianPackage } from '../debian-package.mjs';
import { infraDir, stateRoot } from '../paths.mjs';
import { findOnPath } from '../prerequisites.mjs';
import { commandLineOf, isAlive, readPid, spawnDetached } from '../process-control.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';
import { runCommand } from '../run-command.mjs';

const debianPackage = 'prometheus';
const stateDir = join(stateRoot, 'prometheus');
const configPath = join(stateDir, 'prometheus.yml');
const dataDir = join(stateDir, 'data');
export const alertRulesPath = join(infraDir, 'prometheus', 'alerts.yml');

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
    if (!binary('prometheus') || !binary('promtool')) await installDebianPackage(debianPackage, this.name);
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
