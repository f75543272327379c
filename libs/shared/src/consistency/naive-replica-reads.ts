/**
 * WORKSHOP ONLY — article 7's failure, the stale read from a lagging replica: every read goes to the
 * streaming replica, whatever its lag and whatever token the read carries. Replication is
 * asynchronous, so a replica is always some WAL behind the primary, and seconds behind under load or
 * while replay is paused; a client that reads right after its own write is answered from before that
 * write and sees its change undone. ReplicaReadsModule routes with this instead of decideRoute when
 * the reads are `naive` (refused outside workshop mode, see requireAllowedReplicaReads).
 */
import type { RouteDecider } from './replica-routing-decision.js';

/** The replica, always: tokens and lag are ignored (`reason="naive"` on the routed-reads metric). */
export const readReplicaAlways: RouteDecider = () => ({ servedBy: 'replica', reason: 'naive' });
