export * from './consistency-token.js';
export { ReplicaDatabase } from './replica-database.js';
export { REPLICA_READ_OPTIONS, ReplicaLagSampler } from './replica-lag-sampler.js';
export type { ReplicaLag } from './replica-lag.js';
export { formatLsn, parseLsn, walBytesBetween, type WalPosition } from './replica-lsn.js';
export {
  REPLICA_READ_DEFAULTS,
  replicaMaxLagSeconds,
  replicaReads,
  replicaTokenWaitMs,
  requireAllowedReplicaReads,
  type ReplicaReadOptions,
  type ReplicaReads,
} from './replica-read-options.js';
export { REPLICA_TOKEN_HEADER, ReplicaReadRouter, SERVED_BY_HEADER } from './replica-read-router.js';
export { replicaReadSettings, replicaReadsEnvironment, type ReplicaReadsEnvironment } from './replica-reads-environment.js';
export { ReplicaReadsModule, type ReplicaReadsModuleOptions } from './replica-reads.module.js';
export { decideRoute, type RoutingDecision, type RoutingReason, type ServedBy } from './replica-routing-decision.js';
export { ReplicaReplayControl, type SuperuserConnection } from './replica-replay-control.js';
export { ReplicaTokenInterceptor } from './replica-token.interceptor.js';
