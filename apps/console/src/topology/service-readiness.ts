import type { WatchedService } from '../config.js';
import type { ServiceReadiness } from '../console-api.js';

/** How long the console waits for a service's /ready before drawing it as down. */
const PROBE_TIMEOUT_MS = 1_500;

/**
 * Reads a /ready answer. A Faultline service answers 503 with problem+json whose `checks` holds
 * each dependency's Terminus result (`{ database: { status: 'down', message } }`) and whose `detail`
 * says it in words; a bare Terminus body has the failing ones under `error`. An answer in any other
 * shape still says the process runs, so it is `not-ready` with its status code as the reason.
 */
export function readinessOf(service: WatchedService, status: number, body: unknown): ServiceReadiness {
  if (status === 200) return { ...service, state: 'ready', failing: [], detail: 'ready' };
  const answer = (body && typeof body === 'object' ? body : {}) as {
    detail?: unknown;
    checks?: Record<string, { status?: unknown; message?: unknown }>;
    error?: Record<string, { message?: unknown }>;
  };
  const checks = answer.checks && typeof answer.checks === 'object' ? answer.checks : undefined;
  const failingChecks = checks ? Object.entries(checks).filter(([, check]) => check?.status !== 'up') : Object.entries(answer.error ?? {});
  const failing = failingChecks.map(([name]) => name).sort();
  const described = failingChecks
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, check]) => (typeof check?.message === 'string' ? `${name}: ${check.message}` : name))
    .join('; ');
  const detail = typeof answer.detail === 'string' ? answer.detail : described || `HTTP ${status}`;
  return { ...service, state: 'not-ready', failing, detail };
}

/** Asks one service's /ready, as an orchestrator does. */
export async function probeReadiness(service: WatchedService): Promise<ServiceReadiness> {
  let response: Response;
  try {
    response = await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { ...service, state: 'down', failing: [], detail: cause === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS} ms` : `no answer (${cause})` };
  }
  const body: unknown = await response.json().catch(() => null);
  return readinessOf(service, response.status, body);
}
