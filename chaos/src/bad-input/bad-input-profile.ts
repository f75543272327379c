import { randomInt } from 'node:crypto';

/** How much bad input one run feeds the system. */
export interface BadInputProfile {
  name: 'full' | 'short';
  /** fast-check runs per HTTP API: each run is one request (shrinking a failure sends more). */
  bodiesPerApi: number;
  /** Malformed or unknown-version events published to the order events topic. */
  badEvents: number;
  /**
   * APIs fuzzed at the same time. Each API's runs are sequential (fast-check needs the verdict of
   * one run before the next), so this is the request concurrency; 4 keeps the 2-core machine busy
   * without making the services' own timeouts the thing under test.
   */
  concurrentApis: number;
  /** fast-check's seed: new every run unless SEED_VARIABLE sets it; printed at the start and with a failure, so it can be replayed exactly. */
  seed: number;
}

/** Replays a run: `BAD_INPUT_SEED=<the seed it printed> npm run chaos -- --only bad-input` (add `--short` for the short profile). */
export const SEED_VARIABLE = 'BAD_INPUT_SEED';

/**
 * The seed of this run: the variable's when it is set (a replay), otherwise a new one every run, so
 * each run explores other inputs. fast-check takes a 32-bit integer.
 */
function seedFromEnvironment(): number {
  const value = process.env[SEED_VARIABLE];
  if (value === undefined || value === '') return randomInt(1, 2 ** 31 - 1);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`${SEED_VARIABLE}=${value} is not an integer: give the seed a previous run printed`);
  return seed;
}

/** The command that runs this profile again with the same seed: same requests, same events, same tokens. */
export function replayCommand(profile: BadInputProfile): string {
  return `${SEED_VARIABLE}=${profile.seed} npm run chaos -- --only bad-input${profile.name === 'short' ? ' --short' : ''}`;
}

export const fullBadInputProfile = (): BadInputProfile => ({
  name: 'full',
  bodiesPerApi: 10_000,
  badEvents: 1_000,
  concurrentApis: 4,
  seed: seedFromEnvironment(),
});

/** The version inside `npm test`: a few hundred requests per API and ~100 events, well under 90 s. */
export const shortBadInputProfile = (): BadInputProfile => ({
  name: 'short',
  bodiesPerApi: 150,
  badEvents: 100,
  concurrentApis: 4,
  seed: seedFromEnvironment(),
});
