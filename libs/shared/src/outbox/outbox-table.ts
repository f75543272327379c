import { createHash } from 'node:crypto';

/** One unpublished row, as the relay needs it. */
export interface PendingRow {
  id: string;
  topic: string;
  aggregateId: string;
  /** The envelope as JSON text, sent as it is. */
  envelope: string;
}

/** A parameterised SQL statement, in the shape pg's `query` takes. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** A connection or transaction that runs parameterised SQL (pg.Client, TypeORM's EntityManager). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The SQL of one outbox table (the columns of OutboxMessage), and the names derived from it: the
 * NOTIFY channel writers signal on and the advisory lock the relays compete for. Validated options
 * guarantee the name is a plain identifier, so quoting it is enough to splice it in.
 */
export class OutboxTable {
  readonly qualifiedName: string;
  /** `pg_notify` channel: a writer's commit wakes the relay that LISTENs on it. */
  readonly channel: string;

  constructor(readonly name: string) {
    this.qualifiedName = name
      .split('.')
      .map((part) => `"${part}"`)
      .join('.');
    this.channel = `${name}_appended`;
  }

  /**
   * The advisory lock key of this service's relay over this table: 64 bits of a SHA-256, stable
   * across PostgreSQL versions (unlike `hashtext`). Advisory locks are per database, and each
   * service has its own, so the service name only makes a collision even less likely.
   */
  leaderLockKey(service: string): string {
    return createHash('sha256').update(`outbox-relay:${service}:${this.name}`).digest().readBigInt64BE(0).toString();
  }

  /**
   * Appends inside the caller's transaction and signals the relay. PostgreSQL delivers the
   * notification only when that transaction commits (and never if it rolls back), so the relay is
   * woken exactly when there is a committed row to publish. Cost worth knowing: a notifying commit
   * takes a brief database-wide lock, which caps very high commit rates; polling alone is the
   * fallback then.
   */
  async append(
    transaction: SqlRunner,
    row: {
      eventId: string;
      topic: string;
      aggregateType: string;
      aggregateId: string;
      sequence: number;
      eventType: string;
      envelope: object;
      createdAt: Date;
    },
  ): Promise<void> {
    await transaction.query(
      `INSERT INTO ${this.qualifiedName}
         (event_id, topic, aggregate_type, aggregate_id, sequence, event_type, envelope, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [
        row.eventId,
        row.topic,
        row.aggregateType,
        row.aggregateId,
        row.sequence,
        row.eventType,
        JSON.stringify(row.envelope),
        row.createdAt,
      ],
    );
    await transaction.query(`SELECT pg_notify($1, '')`, [this.channel]);
  }

  /**
   * The oldest unpublished rows, in id order. No `FOR UPDATE SKIP LOCKED`: skipping a row would let
   * a later event of its aggregate overtake it (article 4); the leader lock already makes this
   * relay the only reader. Ids come from a sequence, so a row still uncommitted may get a lower id
   * than one already published — that is fine, it is picked up once committed: one aggregate's
   * next event can only be written after its previous one committed (unique sequence per aggregate).
   */
  selectPending(limit: number): Statement {
    return {
    text: `SELECT id, topic, aggregate_id AS "aggregateId", envelope::text AS envelope
             FROM ${this.qualifiedName}
            WHERE published_at IS NULL
            ORDER BY id
            LIMIT $1`,
      values: [limit],
    };
  }

  markPublished(ids: readonly string[], at: Date): Statement {
    return {
      text: `UPDATE ${this.qualifiedName} SET published_at = $2 WHERE id = ANY($1::bigint[])`,
      values: [ids, at],
    };
  }

  /** Backlog size and the creation time of the oldest unpublished row (both from the partial index). */
  backlog(): Statement {
    return {
      text: `SELECT count(*)::int AS rows,
                  (SELECT created_at FROM ${this.qualifiedName} WHERE published_at IS NULL ORDER BY id LIMIT 1) AS oldest
             FROM ${this.qualifiedName}
            WHERE published_at IS NULL`,
      values: [],
    };
  }
}
