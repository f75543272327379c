// Runs the health checks the topology declares for a component (see `health` in infra/topology.mjs).
import { existsSync } from 'node:fs';
import { loopback } from '../topology.mjs';
import { postgresBinary, socketDir, superuserQuery } from './postgres-client.mjs';
import { httpGet, kafkaMetadata, smtpGreeting } from './probes.mjs';
import { runCommand, lastLine } from './run-command.mjs';
import { temporalCliBinary } from './paths.mjs';

/** Each returns a short reason when unhealthy, undefined when healthy. */
const checks = {
  async pg_isready({ port }) {
    const result = await runCommand(postgresBinary('pg_isready'), ['-h', socketDir, '-p', String(port), '-t', '2'], { timeoutMs: 5_000 });
    return result.code === 0 ? undefined : `pg_isready: ${lastLine(result)}`;
  },

  async sql({ port, query, expect }, env) {
    const answer = await superuserQuery(env, port, query);
    return answer === expect ? undefined : `\`${query}\` on port ${port} returned '${answer}', expected '${expect}'`;
  },

  async 'kafka-metadata'({ port, nodeId }) {
    const { brokers } = await kafkaMetadata(port);
    const broker = brokers.find((b) => b.nodeId === nodeId);
    return broker ? undefined : `Metadata lists no broker ${nodeId} yet`;
  },

  async 'temporal-cluster-health'({ port }) {
    if (!existsSync(temporalCliBinary)) return `${temporalCliBinary} is not built`;
    const result = await runCommand(
      temporalCliBinary,
      ['operator', 'cluster', 'health', '--address', `${loopback}:${port}`, '--command-timeout', '3s', '--disable-config-file', '--disable-config-env'],
      { timeoutMs: 10_000 },
    );
    return /SERVING/.test(result.stdout) && !/NOT_SERVING/.test(result.stdout) ? undefined : `cluster health: ${lastLine(result)}`;
  },

  async http({ port, path }) {
    const { status } = await httpGet(port, path);
    return status === 200 ? undefined : `GET ${path} on port ${port} answered ${status}`;
  },

  async 'smtp-greeting'({ port }) {
    const greeting = await smtpGreeting(port);
    return greeting.startsWith('220') ? undefined : `SMTP greeting was '${greeting}'`;
  },
};

/**
 * @param {{ check: string }[]} declared the component's `health` list from the topology
 * @param {Record<string, string>} env
 * @param {Record<string, () => Promise<string | undefined>>} [componentChecks] checks only the
 *   component itself can run (e.g. Toxiproxy's proxy list)
 * @returns {Promise<{ ok: boolean, detail?: string }>}
 */
export async function runHealthChecks(declared, env, componentChecks = {}) {
  for (const spec of declared) {
    const run = componentChecks[spec.check] ?? checks[spec.check];
    if (!run) throw new Error(`no implementation for health check '${spec.check}'`);
    let problem;
    try {
      problem = await run(spec, env);
    } catch (error) {
      problem = `${spec.check}: ${error.message}`;
    }
    if (problem) return { ok: false, detail: problem };
  }
  return { ok: true };
}
