// Installs a Debian package the project needs, when it is missing and `up` runs as root: Prometheus
// (infrastructure) and Chromium (the console's browser tests). As another user it says the command.
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { logFile } from './paths.mjs';
import { ProvisioningError } from './provisioning-error.mjs';
import { reportStep } from './progress.mjs';
import { runCommand } from './run-command.mjs';

/** The command a person runs as root to install `debianPackage`. */
export function installCommand(debianPackage) {
  return `apt-get install -y --no-install-recommends ${debianPackage}`;
}

/**
 * `apt-get update` and `apt-get install` of one package, its output in the component's log. A
 * package's maintainer script may start a daemon of its own (Debian's prometheus does, on :9090);
 * we never want that instance, so the install runs under a policy-rc.d that denies every start
 * (exit 101), created only if the machine has none, and removed again afterwards.
 */
export async function installDebianPackage(debianPackage, component) {
  if (process.getuid?.() !== 0) {
    throw new ProvisioningError(`${debianPackage} is not installed: run \`${installCommand(debianPackage)}\` as root`, { component });
  }
  reportStep(component, `installing Debian's ${debianPackage} package (first run only)`);
  const policyPath = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policyPath);
  if (ownPolicy) writeFileSync(policyPath, '#!/bin/sh\n# temporary, by faultline infra/native/debian-package.mjs\nexit 101\n', { mode: 0o755 });
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
