import type { WatchedService } from '../config.js';
import type { ServiceReadiness } from '../console-api.js';

/** How long the console waits for a service's /ready before drawing it as down. */
const PROBE_TIMEOUT_MS = 1_500;

/**
 * Reads a /ready answer: a Terminus health body (`{ status, error: { <check>: { status, message } } }`)
 * on 200 or 503. An answer in any other shape still says the process runs, so it is `not-ready`
 * with its status code as the detail.
 */
export function readinessOf(service: WatchedService, status: number, body: unknown): ServiceReadiness {
  if (status === 200) return { ...service, state: 'ready', failing: [], detail: 'ready' };
  const errors = (body as { error?: Record<string, { message?: unknown }> } | null)?.error;
  const failing = errors && typeof errors === 'object' ? Object.keys(errors).sort() : [];
  const detail = failing.length
    ? failing.map((check) => (typeof errors?.[check]?.message === 'string' ? `${check}: ${errors[check].message}` : check)).join('; ')
    : `HTTP ${status}`;
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
