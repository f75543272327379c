// MailDev (the npm devDependency): an SMTP sink with a web UI, so tests can read what was "sent".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loopback } from '../../topology.mjs';
import { projectRoot } from '../paths.mjs';
import { runningPid, spawnDetached } from '../process-control.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';

const packageDir = join(projectRoot, 'node_modules', 'maildev');

function maildevScript() {
  const manifestPath = join(packageDir, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new ProvisioningError('node_modules/maildev is missing: run npm ci first', { component: 'maildev' });
  }
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return join(packageDir, typeof bin === 'string' ? bin : bin.maildev);
}

export const maildev = {
  name: 'maildev',
  startTimeoutMs: 30_000,

  runningPid: () => runningPid('maildev'),

  prepare() {
    maildevScript();
  },

  async start({ env }) {
    // Run the script with this Node rather than through node_modules/.bin, so the pid is the server's.
    return spawnDetached(this.name, process.execPath, [
      maildevScript(),
      '--smtp', env.MAILDEV_SMTP_PORT,
      '--web', env.MAILDEV_WEB_PORT,
      '--ip', loopback,
      '--web-ip', loopback, // MailDev 3 binds its web UI to 0.0.0.0 unless told otherwise
    ]);
  },
};
