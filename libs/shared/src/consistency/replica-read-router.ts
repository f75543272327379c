import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { ProblemDetailsException, ProblemType } from '../problem-details/index.js';
import { ReplicaDatabase } from './replica-database.js';
import { REPLICA_READ_OPTIONS, ReplicaLagSampler } from './replica-lag-sampler.js';
import { formatLsn, parseLsn, type WalPosition } from './replica-lsn.js';
import type { ReplicaReadOptions } from './replica-read-options.js';
import { ROUTE_DECIDER, type RouteDecider, type RoutingReason, type ServedBy } from './replica-routing-decision.js';

/** The opaque token a write returns and a read sends back: the primary's WAL position after the write. */
export const REPLICA_TOKEN_HEADER = 'X-Replica-Token';
/** Set on every routed read: which database answered it, `primary` or `replica`. */
export const SERVED_BY_HEADER = 'X-Served-By';

/** How often a read with a token asks the replica whether it has replayed far enough. */
const TOKEN_POLL_MS = 20;

/**
 * The one place that decides whether a read may go to the streaming replica (article 7). A write
 * returns the primary's WAL position as `X-Replica-Token`; a read that sends it back is served by
 * the replica only once `pg_last_wal_replay_lsn()` has reached it — so a client never reads older
 * data than its own write — otherwise it waits up to `tokenWaitMs` and then asks the primary.
 * A read without a token goes to the replica. While the replica lags past the threshold (or does not
 * answer) every read goes to the primary. `decideRoute` holds these rules.
 */
@Injectable()
export class ReplicaReadRouter {
  constructor(
    private readonly primary: DataSource,
    private readonly replica: ReplicaDatabase,
    private readonly lag: ReplicaLagSampler,
    @Inject(REPLICA_READ_OPTIONS) private readonly options: ReplicaReadOptions,
    @Inject(ROUTE_DECIDER) private readonly decide: RouteDecider,
  ) {}

  /**
   * The token for a write that has COMMITTED: `pg_current_wal_insert_lsn()` read after the commit.
   * Read inside the transaction, any LSN would come before the transaction's own commit record, and
   * a replica that replayed up to it would still not see the write. After the commit the insert
   * position is at or past the end of the commit record even with `synchronous_commit = off`
   * (where `pg_current_wal_lsn()`, the write position, could still be behind it).
   */
  async capturePrimaryLsn(manager: EntityManager = this.primary.manager): Promise<string> {
    const [row] = (await manager.query('SELECT pg_current_wal_insert_lsn()::text AS lsn')) as { lsn: string }[];
    if (!row) throw new Error('pg_current_wal_insert_lsn() returned no row');
    return row.lsn;
  }

  /**
   * Runs a read on the database the routing rules pick and sets `X-Served-By` on the response.
   * `token` is the request's `X-Replica-Token` header, if any.
   */
  async read<T>(token: string | undefined, response: ServerResponse, query: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { servedBy, reason, manager } = await this.route(token);
    this.lag.routedReads.inc({ served_by: servedBy, reason });
    response.setHeader(SERVED_BY_HEADER, servedBy);
    // The request's completion log line (pino-http's per-response logger) names the database too,
    // so the logs show which one served each read, not only the client.
    (response as ServerResponse & { log?: Pick<Logger, 'setBindings'> }).log?.setBindings({ servedBy, replicaRouting: reason });
    return query(manager);
  }

  private async route(token: string | undefined): Promise<{ servedBy: ServedBy; reason: RoutingReason; manager: EntityManager }> {
    const wanted = token === undefined || token === '' ? undefined : parseToken(token);
    const decision = this.decide(this.lag.lag, wanted);
    const onPrimary = (reason: RoutingReason) => ({ servedBy: 'primary' as const, reason, manager: this.primary.manager });
    if ('servedBy' in decision && decision.servedBy === 'primary') return onPrimary(decision.reason);

    const replica = await this.replica.dataSource().catch(() => undefined);
    if (!replica) return onPrimary('replica-unreachable');
    const onReplica = (reason: RoutingReason) => ({ servedBy: 'replica' as const, reason, manager: replica.manager });
    if ('servedBy' in decision) return onReplica(decision.reason);

    const replayed = await this.awaitReplay(replica, decision.awaitReplayOf).catch(() => undefined);
    if (replayed === undefined) return onPrimary('replica-unreachable');
    return replayed ? onReplica('token-replayed') : onPrimary('token-not-replayed');
  }

  /**
   * True once the replica has replayed up to `position`, polling for at most `tokenWaitMs`; false
   * at once when replay is paused, since waiting cannot help then.
   */
  private async awaitReplay(replica: DataSource, position: WalPosition): Promise<boolean> {
    const deadline = performance.now() + this.options.tokenWaitMs;
    for (;;) {
      const [row] = (await replica.query(
        'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS replayed, pg_is_wal_replay_paused() AS paused',
        [formatLsn(position)],
      )) as { replayed: boolean; paused: boolean }[];
      if (row?.replayed) return true;
      if (row?.paused || performance.now() + TOKEN_POLL_MS > deadline) return false;
      await sleep(TOKEN_POLL_MS);
    }
  }
}

function parseToken(token: string): WalPosition {
  const position = parseLsn(token);
  if (position === undefined) {
    throw new ProblemDetailsException({
      type: ProblemType.plain,
      title: 'Bad Request',
      status: 400,
      detail: `${REPLICA_TOKEN_HEADER} "${token.slice(0, 40)}" is not a token this service issued: send back the header of a write response unchanged, or omit it.`,
    });
  }
  return position;
}
