// Jaeger, the trace store: the Jaeger v2 binary built from source with `go build` in infra/jaeger (a
// module that declares it as a tool), run with infra/jaeger/jaeger.yaml: OTLP receivers, memory
// storage, the query API. The Go module ships no built web UI, so `/` on the query port is a
// placeholder page; the HTTP and gRPC query APIs are complete.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loopback, versions } from '../../topology.mjs';
import { goBuildTool } from '../build-cache.mjs';
import { infraDir, jaegerBinary } from '../paths.mjs';
import { runningPid, spawnDetached } from '../process-control.mjs';
import { reportStep } from '../progress.mjs';

const moduleDir = join(infraDir, 'jaeger');
export const jaegerConfigPath = join(moduleDir, 'jaeger.yaml');

/**
 * The command of upstream's module, and the variable its release builds stamp their version into
 * (the v2 tag, as `jaeger version` of a release prints it).
 */
const source = {
  packagePath: 'github.com/jaegertracing/jaeger/cmd/jaeger',
  versionVariable: 'github.com/jaegertracing/jaeger/internal/version.latestVersion',
};

export const jaeger = {
  name: 'jaeger',
  startTimeoutMs: 30_000,

  runningPid: () => runningPid('jaeger'),

  async build({ signal }) {
    if (existsSync(jaegerBinary)) return;
    reportStep(this.name, `building jaeger v${versions.jaeger} with go build in infra/jaeger (first run only, about 6 minutes)`);
    await goBuildTool({ component: this.name, moduleDir, ...source, version: `v${versions.jaeger}`, binary: jaegerBinary, signal });
  },

  /** jaeger.yaml reads each address from the environment: the topology's port variables, and the host. */
  async start({ spec }) {
    const ports = Object.fromEntries(spec.ports.map((p) => [p.variable, p.port]));
    return spawnDetached(this.name, jaegerBinary, [`--config=file:${jaegerConfigPath}`], {
      env: { ...process.env, JAEGER_LISTEN_HOST: loopback, ...ports },
    });
  },
};
