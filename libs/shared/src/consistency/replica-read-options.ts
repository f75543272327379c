import { z } from 'zod';
import { readFaultlineEnvironment, requireWorkshopMode } from '../config/index.js';
import type { DatabaseSettings } from '../database/index.js';

/**
 * `routed` (the default) sends a read to the replica only when the replica is fresh enough for it;
 * `naive` is article 7's pitfall switch, workshop only: every read goes to the replica, tokens ignored
 * (naive-replica-reads.ts).
 */
export type ReplicaReads = 'routed' | 'naive';

export const REPLICA_READ_DEFAULTS = {
  reads: 'routed',
  // Past this much replication lag every read goes to the primary until the lag recovers. A few
  // seconds is what a healthy streaming replica never reaches on a LAN; one that does is either
  // paused, overloaded or cut off, and its answers would be visibly old to a person.
  maxLagSeconds: 5,
  // How long a read carrying a token waits for the replica to replay up to it before it asks the
  // primary instead: about one replication round trip under load, and well under what a person
  // notices on a page load. Polled every TOKEN_POLL_MS (replica-read-router.ts).
  tokenWaitMs: 200,
} as const;

export interface ReplicaReadOptions {
  /** The replica, reached through the service's Toxiproxy replica link (so the workshop can cut it). */
  replica: DatabaseSettings;
  reads: ReplicaReads;
  maxLagSeconds: number;
  tokenWaitMs: number;
}

/** A service's `<SERVICE>_REPLICA_READS` variable, validated next to the mechanism. */
export const replicaReads = () => z.enum(['routed', 'naive']).default(REPLICA_READ_DEFAULTS.reads);
/** A service's `<SERVICE>_REPLICA_MAX_LAG_SECONDS` variable. */
export const replicaMaxLagSeconds = () => z.coerce.number().positive().default(REPLICA_READ_DEFAULTS.maxLagSeconds);
/** A service's `<SERVICE>_REPLICA_TOKEN_WAIT_MS` variable. */
export const replicaTokenWaitMs = () => z.coerce.number().int().min(0).max(5_000).default(REPLICA_READ_DEFAULTS.tokenWaitMs);

/**
 * Refuses naive replica reads unless the service runs in workshop mode (DESIGN §6); called when the
 * service loads its settings and again when the router is created.
 */
export function requireAllowedReplicaReads(
  service: string,
  options: ReplicaReadOptions,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): ReplicaReadOptions {
  if (options.reads === 'naive') {
    requireWorkshopMode(
      service,
      {
        option: `replica reads: "naive"`,
        failure: "article 7's stale read (a client reads the replica before it has replayed the client's own write)",
        fix: 'leave the option unset to route reads by replica token and lag',
      },
      env,
    );
  }
  return options;
}
