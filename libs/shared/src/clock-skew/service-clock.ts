import { z } from 'zod';
import { requireWorkshopMode, WORKSHOP_MODE_VARIABLE } from '../config/index.js';

/**
 * A service's clock and its watch over its peers' clocks (article 2):
 * - `skewMs`: how far this service's clock runs ahead (positive) of the machine's. Non-zero only in
 *   workshop mode: it simulates a server whose clock drifted, without touching the OS clock.
 * - `adminClock`: mounts `PUT /admin/clock { skewMs }` to change the skew at run time (workshop only).
 * - `peers`: name → base URL of every peer whose `/time` this service probes.
 * - `probeIntervalMs` 5 s: a skew that appears is on the gauge and in readiness within seconds,
 *   while four tiny requests per peer every 5 s cost nothing.
 */
export interface ServiceClockOptions {
  skewMs: number;
  adminClock: boolean;
  peers: Readonly<Record<string, string>>;
  probeIntervalMs: number;
}

export const DEFAULT_PEER_PROBE_INTERVAL_MS = 5_000;

/** The zod type of `<SERVICE>_CLOCK_SKEW_MS`: whole milliseconds, 0 when unset. */
export const clockSkewMs = () => z.coerce.number().int().default(0);

/** Validates the clock options of `service`; a skew outside workshop mode stops it at start-up. */
export function resolveServiceClock(
  service: string,
  { skewMs, skewVariable, peers }: { skewMs: number; skewVariable: string; peers: Readonly<Record<string, string>> },
  env: Record<string, string | undefined>,
): ServiceClockOptions {
  if (skewMs !== 0) {
    requireWorkshopMode(
      service,
      {
        option: `${skewVariable}=${skewMs}`,
        failure: 'article 2 (a server whose clock is off)',
        fix: `unset ${skewVariable}`,
      },
      env,
    );
  }
  return { skewMs, adminClock: env[WORKSHOP_MODE_VARIABLE] === 'true', peers, probeIntervalMs: DEFAULT_PEER_PROBE_INTERVAL_MS };
}
