import type { ReplicaLag } from './replica-lag-sampler.js';
import type { WalPosition } from './replica-lsn.js';
import type { ReplicaReads } from './replica-read-options.js';

export type ServedBy = 'primary' | 'replica';
export type RoutingReason =
  | 'naive'
  | 'no-token'
  | 'token-replayed'
  | 'token-not-replayed'
  | 'replica-lagging'
  | 'replica-unreachable';

export type RoutingDecision = { servedBy: ServedBy; reason: RoutingReason } | { awaitReplayOf: WalPosition };

/**
 * Where a read goes before anything is asked of the replica (article 7), in this order: naive mode
 * always reads the replica; a lagging or unreachable replica sends every read to the primary; a read
 * without a token may read the replica; a read with one must first see the replica replay up to it.
 */
export function decideRoute(
  reads: ReplicaReads,
  lag: Pick<ReplicaLag, 'forcesPrimary' | 'replicaReachable'>,
  token: WalPosition | undefined,
): RoutingDecision {
  if (reads === 'naive') return { servedBy: 'replica', reason: 'naive' };
  if (lag.forcesPrimary) return { servedBy: 'primary', reason: lag.replicaReachable ? 'replica-lagging' : 'replica-unreachable' };
  if (token === undefined) return { servedBy: 'replica', reason: 'no-token' };
  return { awaitReplayOf: token };
}
