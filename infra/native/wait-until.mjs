// Polls a health probe until it passes, the process dies, or time runs out.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * @param {() => Promise<{ ok: boolean, detail?: string }>} probe
 * @param {{ timeoutMs: number, intervalMs?: number, exited?: () => string | undefined }} options
 *   exited: returns a reason once the process being waited for has died, so we fail fast.
 * @returns {Promise<{ ok: boolean, detail?: string }>} the last probe result (ok false on timeout or exit)
 */
export async function waitUntilHealthy(probe, { timeoutMs, intervalMs = 200, exited = () => undefined }) {
  const deadline = performance.now() + timeoutMs;
  let last = { ok: false, detail: 'not probed yet' };
  for (;;) {
    const exitReason = exited();
    if (exitReason) return { ok: false, detail: exitReason };
    try {
      last = await probe();
    } catch (error) {
      last = { ok: false, detail: error.message };
    }
    if (last.ok) return last;
    if (performance.now() >= deadline) {
      return { ok: false, detail: `not healthy after ${Math.round(timeoutMs / 1000)} s: ${last.detail}` };
    }
    await sleep(intervalMs);
  }
}
