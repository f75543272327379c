// Temporal dev server: the `temporal` CLI (built from source with `go install`, UI bundled) running
// `server start-dev` on SQLite, so workflows survive a restart of the infrastructure.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loopback, versions } from '../../topology.mjs';
import { goInstall } from '../build-cache.mjs';
import { statePaths, temporalCliBinary } from '../paths.mjs';
import { runningPid, spawnDetached } from '../process-control.mjs';
import { reportStep } from '../progress.mjs';

const databaseFile = join(statePaths.data, 'temporal', 'dev.sqlite');
/** Upstream's CLI package, and the variable its release builds stamp their version string into. */
const source = { packagePath: 'github.com/temporalio/cli/cmd/temporal', versionVariable: 'github.com/temporalio/cli/temporalcli.Version' };

export const temporal = {
  name: 'temporal',
  startTimeoutMs: 60_000,

  runningPid: () => runningPid('temporal'),

  async build({ signal }) {
    if (existsSync(temporalCliBinary)) return;
    reportStep(this.name, `building temporal CLI v${versions.temporalCli} with go install (first run only, several minutes)`);
    await goInstall({ component: this.name, ...source, version: versions.temporalCli, binary: temporalCliBinary, signal });
  },

  async start({ env }) {
    mkdirSync(dirname(databaseFile), { recursive: true });
    return spawnDetached(this.name, temporalCliBinary, [
      'server',
      'start-dev',
      '--ip', loopback,
      '--port', env.TEMPORAL_PORT,
      '--ui-port', env.TEMPORAL_UI_PORT,
      '--db-filename', databaseFile,
      '--namespace', env.TEMPORAL_NAMESPACE,
      '--log-level', 'warn',
      // A developer's ~/.config/temporalio profile must not change what the sandbox runs.
      '--disable-config-file',
      '--disable-config-env',
    ]);
  },
};
