/**
 * How far the replica is behind the primary (article 7): what ReplicaLagSampler publishes on every
 * sample, and what the routing decision reads before a read goes anywhere.
 */
export interface ReplicaLag {
  /** WAL the primary has written and the replica has not replayed. */
  bytes: number;
  /** Age of the oldest change the replica has not replayed; 0 when it has replayed everything. */
  seconds: number;
  /** True when every read must go to the primary: lag above the threshold, or the replica unreachable. */
  forcesPrimary: boolean;
  replicaReachable: boolean;
}
