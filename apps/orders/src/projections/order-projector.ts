import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BackgroundLoop, pauseUnlessStopped, retryPauseMs } from '@faultline/shared/background-loop';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ORDER_AGGREGATE } from '@faultline/shared/contracts';
import { ServiceMetrics } from '@faultline/shared/observability';
import { orderProjections, type OrderProjection, type ProjectedEvent } from './order-projections.js';
import { PROJECTION_OPTIONS, type ProjectionOptions } from './projection-options.js';
import { ProjectionLagMetrics } from './projection-lag-metrics.js';

/** The last event a projection applied, in commit order. */
interface Checkpoint {
  commitOrder: string;
  position: string;
}

/**
 * Builds orders' read models (article 5) by tailing orders' own `events` table in commit order,
 * each projection in its own transaction that also moves its checkpoint — an event is applied
 * exactly once, and a crash resumes where the last commit left off.
 *
 * In-process, from the event store, not from Kafka: these read models belong to orders, and the
 * event store is the one ordered log of everything orders committed. A consumer of
 * `orders.order.events` would add the relay and the broker to the lag, and Kafka's order is per
 * partition, not global — a checkpoint there cannot answer "is position N projected?", which is
 * exactly what a consistency token asks.
 *
 * Safe with several instances: the checkpoint row is locked `FOR UPDATE` for the pass, so two
 * projectors take turns instead of applying an event twice.
 *
 * Safe with concurrent writers. A position is taken at insert, not at commit, so position 41 can
 * become visible after 42: reading in position order would move the checkpoint past 41 and skip it
 * for good. The projector reads in (commit_order, position) order instead, and only events whose
 * commit order is below every running transaction's id (`pg_snapshot_xmin`): those transactions
 * have all ended, and any event committed later has a commit order at least that of a transaction
 * running now or started later, so it can never land behind the checkpoint. The event store keeps
 * one stream's versions in the same order (see `EventStore.append`).
 */
@Injectable()
export class OrderProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrderProjector.name);
  private readonly loop = new BackgroundLoop((signal) => this.run(signal));

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROJECTION_OPTIONS) private readonly options: ProjectionOptions,
    metrics: ServiceMetrics,
  ) {
    new ProjectionLagMetrics(metrics, dataSource, () => clock.now());
  }

  onApplicationBootstrap(): void {
    if (this.loop.isRunning) return;
    if (this.options.delayMs > 0) this.logger.warn(`projections DELAYED by ${this.options.delayMs} ms (workshop, article 5)`);
    this.loop.start();
  }

  /** Runs before the database closes: the pass in hand commits or rolls back first. */
  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let busy = false;
      try {
        for (const projection of orderProjections) busy = (await this.projectBatch(projection)) || busy;
        if (failures > 0) this.logger.log(`projector recovered after ${failures} failed passes`);
        failures = 0;
      } catch (error) {
        failures += 1;
        // The first failure and then every 20th: an outage is visible without flooding the log.
        if (failures === 1 || failures % 20 === 0) this.logger.warn({ err: error, failures }, 'projector pass failed; retrying with backoff');
      }
      const pause = failures > 0 ? retryPauseMs(failures) : busy ? 0 : this.options.pollIntervalMs;
      if (pause > 0) await pauseUnlessStopped(pause, signal);
    }
  }

  /** One transaction: lock the checkpoint, apply the next events, move it. True when the batch was full. */
  private projectBatch(projection: OrderProjection): Promise<boolean> {
    return this.dataSource.transaction(async (transaction) => {
      const checkpoint = await this.lockCheckpoint(transaction, projection.name);
      const rows: (ProjectedEvent & { commitOrder: string })[] = await transaction.query(
        `SELECT position::text AS position, commit_order::text AS "commitOrder", stream_id AS "streamId", stream_type AS "streamType",
                version, type, schema_version AS "schemaVersion", payload, occurred_at AS "occurredAt"
           FROM events
          WHERE (commit_order, position) > ($1::xid8, $2::bigint) AND commit_order < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY commit_order, position LIMIT $3`,
        [checkpoint.commitOrder, checkpoint.position, this.options.batchSize],
      );
      const due = this.dueForProjection(rows);
      // Other stream types share the table (the event store's own tests write some); the checkpoint
      // moves past them all the same.
      for (const event of due) if (event.streamType === ORDER_AGGREGATE) await projection.apply(transaction, event);
      const last = due.at(-1);
      if (last) {
        await transaction.query(`UPDATE projection_checkpoints SET commit_order = $2, position = $3, updated_at = $4 WHERE projection = $1`, [
          projection.name,
          last.commitOrder,
          last.position,
          this.clock.now(),
        ]);
      }
      return due.length === this.options.batchSize;
    });
  }

  private async lockCheckpoint(transaction: EntityManager, projection: string): Promise<Checkpoint> {
    await transaction.query(
      `INSERT INTO projection_checkpoints (projection, position, updated_at) VALUES ($1, 0, $2) ON CONFLICT (projection) DO NOTHING`,
      [projection, this.clock.now()],
    );
    const [row] = (await transaction.query(
      `SELECT commit_order::text AS "commitOrder", position::text AS position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`,
      [projection],
    )) as Checkpoint[];
    return row ?? { commitOrder: '0', position: '0' };
  }

  /**
   * The workshop delay (ORDERS_PROJECTION_DELAY_MS): the leading events old enough to project. It
   * stops at the first younger one rather than skipping it, so the projection stays in order.
   */
  private dueForProjection<Row extends ProjectedEvent>(rows: readonly Row[]): Row[] {
    if (this.options.delayMs === 0) return [...rows];
    const horizon = this.clock.now().getTime() - this.options.delayMs;
    const firstYoung = rows.findIndex((row) => new Date(row.occurredAt).getTime() > horizon);
    return firstYoung === -1 ? [...rows] : rows.slice(0, firstYoung);
  }
}
