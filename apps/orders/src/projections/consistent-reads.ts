import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsistencyToken } from '@faultline/shared/consistency';
import { ConsistencyWaitMetrics } from './consistency-wait-metrics.js';
import { PROJECTION_OPTIONS, type ProjectionOptions } from './projection-options.js';

/** Where a read was answered from, sent as the `Consistency` response header. */
export type ReadConsistency =
  /** The projection, caught up with the caller's token. */
  | 'current'
  /** The event stream, because the projection was still behind the token after the wait. */
  | 'source-of-truth'
  /** The projection, still behind the token: the body says what may be missing. */
  | 'pending'
  /** The projection as it is: the read took no token into account. */
  | 'eventual';

export const CONSISTENCY_HEADER = 'Consistency';

/** What a read learned about a projection before answering. */
export interface ProjectionProgress {
  /** True when the projection has applied everything up to the caller's token (or there was none). */
  caughtUp: boolean;
  /** The token for the response: the newer of the caller's and the projection's checkpoint. */
  token: ConsistencyToken;
  /** True when the read took the caller's token into account: an answer from the projection is then `current`, not `eventual`. */
  tokenHonoured: boolean;
}

const CHECK_INTERVAL_MS = 20;
/** `events.position` is a bigint: a token past it names no event (and must not reach the query). */
const MAX_POSITION = 2n ** 63n - 1n;

/**
 * Read-your-writes over an asynchronous projection (article 5). A read that carries a token waits,
 * up to ORDERS_CONSISTENT_READ_WAIT_MS, for the projection's checkpoint to reach it; the caller then
 * decides what to do if it did not (answer from the source of truth, or say "pending"). It never
 * answers silently from a projection that is older than the caller's own write.
 *
 * The returned token is never older than the one received, so a client that always sends the last
 * token it got reads monotonically, even across orders and across the list and the detail.
 */
@Injectable()
export class ConsistentReads {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PROJECTION_OPTIONS) private readonly options: ProjectionOptions,
    private readonly waits?: ConsistencyWaitMetrics,
  ) {}

  async awaitProjection(projection: string, requested: ConsistencyToken | undefined): Promise<ProjectionProgress> {
    const wanted = requested?.position === 0n ? undefined : requested;
    const started = performance.now();
    const deadline = started + this.options.readWaitMs;
    for (;;) {
      const { checkpoint, caughtUp } = await this.progressOf(projection, wanted);
      const remaining = deadline - performance.now();
      // The newer of the two in the projection's (commit) order: the checkpoint once it covers the
      // caller's token, the caller's token while it does not.
      if (caughtUp || remaining <= 0) {
        if (wanted !== undefined) this.waits?.waited(projection, caughtUp ? 'caught-up' : 'gave-up', performance.now() - started);
        return { caughtUp, token: caughtUp || wanted === undefined ? checkpoint : wanted, tokenHonoured: requested !== undefined };
      }
      await sleep(Math.min(CHECK_INTERVAL_MS, remaining));
    }
  }

  /**
   * The projection's checkpoint, and whether it covers the event at the wanted position. Projections
   * apply events in commit order, not position order, so "covered" compares the event's place in
   * that order with the checkpoint's. A position with no event (a forged token) is never covered.
   */
  private async progressOf(projection: string, wanted: ConsistencyToken | undefined): Promise<{ checkpoint: ConsistencyToken; caughtUp: boolean }> {
    const [row] = (await this.dataSource.query(
      `SELECT c.position::text AS position,
              coalesce((SELECT (e.commit_order, e.position) <= (c.commit_order, c.position) FROM events e WHERE e.position = $2), false) AS covered
         FROM projection_checkpoints c
        WHERE c.projection = $1`,
      [projection, wanted !== undefined && wanted.position <= MAX_POSITION ? wanted.position.toString() : null],
    )) as { position: string; covered: boolean }[];
    return { checkpoint: ConsistencyToken.at(row?.position ?? '0'), caughtUp: wanted === undefined || row?.covered === true };
  }
}
