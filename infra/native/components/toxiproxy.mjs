// Toxiproxy between the services and their dependencies. Its proxies come from the topology and are
// (re)created through its HTTP API; /populate leaves an identical existing proxy and its toxics alone.
import { existsSync } from 'node:fs';
import { loopback, versions } from '../../topology.mjs';
import { goInstall } from '../build-cache.mjs';
import { logFile, toxiproxyBinary } from '../paths.mjs';
import { runningPid, spawnDetached } from '../process-control.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';
import { reportStep } from '../progress.mjs';
import { waitUntilHealthy } from '../wait-until.mjs';

/** Upstream's server package, and the variable its release builds stamp their version string into. */
const source = { packagePath: 'github.com/Shopify/toxiproxy/v2/cmd/server', versionVariable: 'github.com/Shopify/toxiproxy/v2.Version' };

function desiredProxies(topology) {
  return topology.proxies.map((proxy) => ({
    name: proxy.name,
    listen: `${loopback}:${proxy.listen.port}`,
    upstream: `${loopback}:${proxy.upstream.port}`,
    enabled: true,
  }));
}

async function api(env, method, path, body) {
  const response = await fetch(`http://${loopback}:${env.TOXIPROXY_PORT}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.trim()}`);
  // /version answers plain text ("2.5.0"), everything else JSON.
  return response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

export const toxiproxy = {
  name: 'toxiproxy',
  startTimeoutMs: 20_000,

  runningPid: () => runningPid('toxiproxy'),

  /** The proxies' listen ports must be free too, not only the API port. */
  extraPorts: ({ topology }) => topology.proxies.map((proxy) => proxy.listen),

  async build({ signal }) {
    if (existsSync(toxiproxyBinary)) return;
    reportStep(this.name, `building toxiproxy v${versions.toxiproxy} with go install (first run only)`);
    await goInstall({ component: this.name, ...source, version: versions.toxiproxy, binary: toxiproxyBinary, signal });
  },

  async start(context) {
    const { env } = context;
    const handle = spawnDetached(this.name, toxiproxyBinary, ['-host', loopback, '-port', env.TOXIPROXY_PORT], {
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }, // debug logs every API request
    });
    const apiUp = await waitUntilHealthy(async () => ({ ok: Boolean(await api(env, 'GET', '/version')) }), {
      timeoutMs: this.startTimeoutMs,
      exited: handle.exited,
    });
    if (!apiUp.ok) throw new ProvisioningError(`the API did not come up: ${apiUp.detail}`, { component: this.name, logPath: logFile(this.name) });
    await this.converge(context);
    return handle;
  },

  async converge({ env, topology }) {
    const desired = desiredProxies(topology);
    await api(env, 'POST', '/populate', desired);
    const current = await api(env, 'GET', '/proxies');
    for (const proxy of desired) {
      // A test may have disabled a proxy and died before re-enabling it.
      if (current[proxy.name] && !current[proxy.name].enabled) await api(env, 'POST', `/proxies/${proxy.name}`, { enabled: true });
    }
  },

  healthChecks: ({ env, topology }) => ({
    async 'toxiproxy-proxies'() {
      const current = await api(env, 'GET', '/proxies');
      for (const proxy of desiredProxies(topology)) {
        const actual = current[proxy.name];
        if (!actual) return `proxy ${proxy.name} is missing`;
        if (!actual.enabled) return `proxy ${proxy.name} is disabled`;
        if (actual.listen !== proxy.listen || actual.upstream !== proxy.upstream) {
          return `proxy ${proxy.name} is ${actual.listen} -> ${actual.upstream}, expected ${proxy.listen} -> ${proxy.upstream}`;
        }
      }
      return undefined;
    },
  }),
};
