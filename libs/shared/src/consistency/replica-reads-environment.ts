import type { z } from 'zod';
import { port, readFaultlineEnvironment } from '../config/index.js';
import type { DatabaseSettings } from '../database/index.js';
import {
  replicaMaxLagSeconds,
  replicaReads,
  replicaTokenWaitMs,
  requireAllowedReplicaReads,
  type ReplicaReadOptions,
} from './replica-read-options.js';

/** The variables of `replicaReadsEnvironment(prefix)`, each with its schema. */
export type ReplicaReadsEnvironment<Prefix extends string> = Record<`TOXIPROXY_${Prefix}_PG_REPLICA_PORT`, ReturnType<typeof port>> &
  Record<`${Prefix}_REPLICA_READS`, ReturnType<typeof replicaReads>> &
  Record<`${Prefix}_REPLICA_MAX_LAG_SECONDS`, ReturnType<typeof replicaMaxLagSeconds>> &
  Record<`${Prefix}_REPLICA_TOKEN_WAIT_MS`, ReturnType<typeof replicaTokenWaitMs>>;

function variables(prefix: string) {
  return {
    replicaPort: `TOXIPROXY_${prefix}_PG_REPLICA_PORT`,
    reads: `${prefix}_REPLICA_READS`,
    maxLagSeconds: `${prefix}_REPLICA_MAX_LAG_SECONDS`,
    tokenWaitMs: `${prefix}_REPLICA_TOKEN_WAIT_MS`,
  };
}

/**
 * The variables of a service whose reads may go to the streaming replica (article 7), named by its
 * prefix: with `replicaReadsEnvironment('BILLING')` the replica's own Toxiproxy link
 * TOXIPROXY_BILLING_PG_REPLICA_PORT, BILLING_REPLICA_READS (`naive`, workshop only, reads the replica
 * without tokens), BILLING_REPLICA_MAX_LAG_SECONDS and BILLING_REPLICA_TOKEN_WAIT_MS.
 */
export function replicaReadsEnvironment<Prefix extends string>(prefix: Prefix): ReplicaReadsEnvironment<Prefix> {
  const name = variables(prefix);
  return {
    [name.replicaPort]: port(),
    [name.reads]: replicaReads(),
    [name.maxLagSeconds]: replicaMaxLagSeconds(),
    [name.tokenWaitMs]: replicaTokenWaitMs(),
  } as ReplicaReadsEnvironment<Prefix>;
}

/**
 * Maps the validated variables of `replicaReadsEnvironment(prefix)` to the router's options: the
 * replica is the service's own database, with the same role, at its replica link. Refuses naive
 * reads outside workshop mode, so the service stops with the plain configuration message.
 */
export function replicaReadSettings<Prefix extends string>(
  service: string,
  prefix: Prefix,
  config: z.infer<z.ZodObject<ReplicaReadsEnvironment<Prefix>>>,
  database: DatabaseSettings,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): ReplicaReadOptions {
  const name = variables(prefix);
  const value = config as Record<string, unknown>;
  return requireAllowedReplicaReads(
    service,
    {
      replica: { ...database, port: value[name.replicaPort] as number },
      reads: value[name.reads] as ReplicaReadOptions['reads'],
      maxLagSeconds: value[name.maxLagSeconds] as number,
      tokenWaitMs: value[name.tokenWaitMs] as number,
    },
    env,
  );
}
