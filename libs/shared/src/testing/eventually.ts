import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries `probe` until it returns a value other than undefined, or fails after `timeoutMs` with
 * the last error: for asserting on asynchronous effects (a relay marking a row, a projection
 * catching up) without a fixed sleep.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 5_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`${what} not met within ${timeoutMs} ms`, { cause: lastError });
    }
    await sleep(intervalMs);
  }
}
