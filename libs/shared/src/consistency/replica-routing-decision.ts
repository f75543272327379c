import type { ReplicaLag } from './replica-lag.js';
import type { WalPosition } from './replica-lsn.js';

export type ServedBy = 'primary' | 'replica';
export type RoutingReason =
  | 'naive'
  | 'no-token'
  | 'token-replayed'
  | 'token-not-replayed'
  | 'replica-lagging'
  | 'replica-unreachable';

export type RoutingDecision = { servedBy: ServedBy; reason: RoutingReason } | { awaitReplayOf: WalPosition };

/** Decides where a read goes from the replica's lag and the read's token; ReplicaReadsModule picks it. */
export type RouteDecider = (lag: Pick<ReplicaLag, 'forcesPrimary' | 'replicaReachable'>, token: WalPosition | undefined) => RoutingDecision;
export const ROUTE_DECIDER = Symbol.for('faultline.ReplicaRouteDecider');

/**
 * Where a read goes before anything is asked of the replica (article 7), in this order: a lagging
 * or unreachable replica sends every read to the primary; a read without a token may read the
 * replica; a read with one must first see the replica replay up to it.
 */
export const decideRoute: RouteDecider = (lag, token) => {
  if (lag.forcesPrimary) return { servedBy: 'primary', reason: lag.replicaReachable ? 'replica-lagging' : 'replica-unreachable' };
  if (token === undefined) return { servedBy: 'replica', reason: 'no-token' };
  return { awaitReplayOf: token };
};
