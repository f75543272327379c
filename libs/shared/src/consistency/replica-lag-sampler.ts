import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ServiceMetrics } from '../observability/index.js';
import { SERVICE_LOGGER } from '../service-defaults/index.js';
import { ReplicaDatabase } from './replica-database.js';
import type { ReplicaLag } from './replica-lag.js';
import { parseLsn, walBytesBetween } from './replica-lsn.js';
import type { ReplicaReadOptions } from './replica-read-options.js';

export const REPLICA_READ_OPTIONS = Symbol.for('faultline.ReplicaReadOptions');

/** Once a second: fine enough for a threshold counted in seconds, and two tiny queries per tick. */
const SAMPLE_INTERVAL_MS = 1_000;
/**
 * A sample that takes longer counts as a failed one (every read to the primary): a database behind a
 * hanging link must neither freeze the last good figure nor hold up start-up and shutdown.
 */
const SAMPLE_TIMEOUT_MS = 2_000;

interface ReplicaPosition {
  replay: string | null;
  seconds_since_last_replayed_commit: string | null;
}

/**
 * Measures how far the replica is behind the primary (article 7) and publishes it as metrics:
 *
 * - `replica_lag_bytes`: the primary's `pg_current_wal_lsn()` minus the replica's
 *   `pg_last_wal_replay_lsn()`, computed here from both sides. The primary's `pg_stat_replication`
 *   would give the same figure, but its LSN columns are visible only to superusers and `pg_monitor`,
 *   and a service's role is neither.
 * - `replica_lag_seconds`: `now() - pg_last_xact_replay_timestamp()` on the replica, BUT 0 whenever
 *   the replica has replayed everything the primary has written. That timestamp is the commit time
 *   of the last replayed transaction, so on an idle primary it grows forever although nothing is
 *   missing; when WAL is missing it is an upper bound of the age of the oldest missing change.
 *
 * Above `maxLagSeconds` (or when the replica does not answer) `forcesPrimary` is set and the router
 * sends every read to the primary until a later sample is back under the threshold.
 */
@Injectable()
export class ReplicaLagSampler implements OnModuleInit, OnModuleDestroy {
  private latest: ReplicaLag = { bytes: 0, seconds: 0, forcesPrimary: true, replicaReachable: false };
  private sampled = false;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private readonly bytesGauge: Gauge;
  private readonly secondsGauge: Gauge;
  private readonly forcedGauge: Gauge;
  readonly routedReads: Counter<'served_by' | 'reason'>;

  constructor(
    private readonly primary: DataSource,
    private readonly replica: ReplicaDatabase,
    @Inject(REPLICA_READ_OPTIONS) private readonly options: ReplicaReadOptions,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    metrics: ServiceMetrics,
  ) {
    const registers = [metrics.registry];
    this.bytesGauge = new Gauge({ name: 'replica_lag_bytes', help: 'Bytes of WAL the primary has written and the replica has not replayed', registers });
    this.secondsGauge = new Gauge({
      name: 'replica_lag_seconds',
      help: 'Age of the oldest change the replica has not replayed (0 when it has replayed everything)',
      registers,
    });
    new Gauge({
      name: 'replica_lag_threshold_seconds',
      help: 'Replica lag above which every read goes to the primary (the alert threshold)',
      registers,
    }).set(options.maxLagSeconds);
    this.forcedGauge = new Gauge({
      name: 'replica_reads_forced_to_primary',
      help: '1 while every read goes to the primary because the replica lags or is unreachable',
      registers,
    });
    this.routedReads = new Counter({
      name: 'replica_routed_reads_total',
      help: 'Reads routed between primary and replica, by the database that served them and why',
      labelNames: ['served_by', 'reason'],
      registers,
    });
  }

  get lag(): ReplicaLag {
    return this.latest;
  }

  async onModuleInit(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
  }

  /** Takes one sample now (also used by tests that cannot wait for the next tick). */
  sample(): Promise<void> {
    this.sampling ??= this.measure(AbortSignal.timeout(SAMPLE_TIMEOUT_MS)).finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async measure(timeout: AbortSignal): Promise<void> {
    const bounded = <T>(work: Promise<T>) =>
      Promise.race([
        work,
        new Promise<never>((_, reject) => {
          if (timeout.aborted) reject(new Error(`replica lag sample took over ${SAMPLE_TIMEOUT_MS} ms`));
          timeout.addEventListener('abort', () => reject(new Error(`replica lag sample took over ${SAMPLE_TIMEOUT_MS} ms`)), { once: true });
        }),
      ]);
    try {
      // Primary first: WAL written after this point is not counted, so the figure never includes
      // writes that happened while the replica was being asked.
      const [primary] = (await bounded(this.primary.query('SELECT pg_current_wal_lsn()::text AS lsn'))) as { lsn: string }[];
      const replica = await bounded(this.replica.dataSource());
      const [position] = (await bounded(replica.query(
        `SELECT pg_last_wal_replay_lsn()::text AS replay,
                extract(epoch FROM now() - pg_last_xact_replay_timestamp())::text AS seconds_since_last_replayed_commit`,
      ))) as ReplicaPosition[];
      const written = parseLsn(primary?.lsn ?? '');
      const replayed = parseLsn(position?.replay ?? '');
      if (written === undefined || replayed === undefined) {
        throw new Error(`the replica reports no replay position (${position?.replay ?? 'null'}): is it really a standby?`);
      }
      const bytes = walBytesBetween(written, replayed);
      const seconds = bytes === 0 ? 0 : Math.max(0, Number(position?.seconds_since_last_replayed_commit ?? Number.POSITIVE_INFINITY));
      this.publish({ bytes, seconds, forcesPrimary: seconds > this.options.maxLagSeconds, replicaReachable: true });
    } catch (error) {
      if (this.latest.replicaReachable || !this.sampled) {
        this.logger.warn({ err: error }, 'replica lag sample failed: every read goes to the primary until the replica answers');
      }
      this.publish({ ...this.latest, forcesPrimary: true, replicaReachable: false });
    }
  }

  private publish(lag: ReplicaLag): void {
    // Only a change seen between two real samples is news; the state before the first one is not.
    const changed = this.sampled && lag.forcesPrimary !== this.latest.forcesPrimary;
    this.sampled = true;
    this.latest = lag;
    this.bytesGauge.set(lag.bytes);
    // +Inf when WAL is missing and the replica has never replayed a commit since it started.
    this.secondsGauge.set(lag.seconds);
    this.forcedGauge.set(lag.forcesPrimary ? 1 : 0);
    if (lag.replicaReachable && changed) {
      this.logger.warn(
        { lagSeconds: lag.seconds, lagBytes: lag.bytes, maxLagSeconds: this.options.maxLagSeconds },
        lag.forcesPrimary ? 'replica lag above threshold: every read goes to the primary' : 'replica lag recovered: reads may use the replica again',
      );
    }
  }
}
