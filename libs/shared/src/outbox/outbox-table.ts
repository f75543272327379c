import { createHash } from 'node:crypto';
import type { OutboxPublishedRows } from './outbox-options.js';

/** One unpublished row, as the relay needs it. */
export interface PendingRow {
  id: string;
  topic: string;
  aggregateId: string;
  eventId: string;
  eventType: string;
  /** The envelope as JSON text, sent as it is. */
  envelope: string;
  /** The envelope's W3C trace context (see Outbox.append), read out in SQL so the text stays unparsed. */
  traceparent: string | null;
  tracestate: string | null;
}

/** The columns of a PendingRow, as selectPending and markPublishedAndSelectPending read them. */
const PENDING_COLUMNS = `id, topic, aggregate_id AS "aggregateId", event_id AS "eventId", event_type AS "eventType", envelope,
                    envelope->>'traceparent' AS traceparent, envelope->>'tracestate' AS tracestate`;

/** A parameterised SQL statement, in the shape pg's `query` takes. */
export interface Statement {
  /**
   * Set on the relay's statements, run over and over on one session: pg prepares them once by name.
   * Distinct within their first 63 bytes, all PostgreSQL keeps of a name.
   */
  name?: string;
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

  constructor(
    readonly name: string,
    readonly publishedRows: OutboxPublishedRows = 'marked',
  ) {
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
    // One statement, one round trip per command: the INSERT runs as a data-modifying CTE
    // even though the SELECT does not read it, and the notification still waits for the commit.
    await transaction.query(
      `WITH appended AS (
         INSERT INTO ${this.qualifiedName}
           (event_id, topic, aggregate_type, aggregate_id, sequence, event_type, envelope, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
       )
       SELECT pg_notify($9, '')`,
      [
        row.eventId,
        row.topic,
        row.aggregateType,
        row.aggregateId,
        row.sequence,
        row.eventType,
        JSON.stringify(row.envelope),
        row.createdAt,
        this.channel,
      ],
    );
  }

  /**
   * The oldest unpublished rows, in id order. No `FOR UPDATE SKIP LOCKED`: skipping a row would let
   * a later event of its aggregate overtake it (article 4); the leader lock already makes this
   * relay the only reader. Ids come from a sequence, so a row still uncommitted may get a lower id
   * than one already published — that is fine, it is picked up once committed: one aggregate's
   * next event can only be written after its previous one committed (unique sequence per aggregate).
   * `excluding`: the ids of rows sent or being sent but not marked yet (the relay reads the next
   * batch while the current one is with Kafka); excluded by id rather than "after the last id" for
   * the same reason.
   *
   * `envelope` comes out as jsonb's text form; the relay's connection keeps it as that text instead
   * of parsing it (RelayConnection.pendingRows). Casting it to text in SQL cost twice as much as the
   * jsonb output itself here (docs/performance.md), for the same characters.
   */
  selectPending(limit: number, excluding: readonly string[] = []): Statement {
    return {
      name: `outbox-select:${this.name}`,
      text: `SELECT ${PENDING_COLUMNS}
               FROM ${this.qualifiedName}
              WHERE published_at IS NULL
                AND NOT (id = ANY($2::bigint[]))
              ORDER BY id
              LIMIT $1`,
      values: [limit, excluding],
    };
  }

  /**
   * `markPublished(marked)` and `selectPending(limit, excluding)` in one statement: one round trip
   * and one commit per batch for a relay that reads ahead. Both parts of a statement see the same
   * snapshot, taken before its UPDATE (or DELETE), so the marked rows still look unpublished to its SELECT:
   * `excluding` must contain `marked`.
   */
  markPublishedAndSelectPending(marked: readonly string[], at: Date, limit: number, excluding: readonly string[]): Statement {
    const mark = this.markStatement(marked, at, 3);
    return {
      name: `outbox-mark-select:${this.publishedRows}:${this.name}`,
      text: `WITH marked AS (${mark.text})
             SELECT ${PENDING_COLUMNS}
               FROM ${this.qualifiedName}
              WHERE published_at IS NULL
                AND NOT (id = ANY($2::bigint[]))
              ORDER BY id
              LIMIT $1`,
      values: [limit, excluding, ...mark.values],
    };
  }

  markPublished(ids: readonly string[], at: Date): Statement {
    return { name: `outbox-mark:${this.publishedRows}:${this.name}`, ...this.markStatement(ids, at, 1) };
  }

  /** Sets `published_at` or deletes the rows (OutboxPublishedRows); its parameters numbered from `first`. */
  private markStatement(ids: readonly string[], at: Date, first: number): Statement {
    return this.publishedRows === 'deleted'
      ? { text: `DELETE FROM ${this.qualifiedName} WHERE id = ANY($${first}::bigint[])`, values: [ids] }
      : { text: `UPDATE ${this.qualifiedName} SET published_at = $${first + 1} WHERE id = ANY($${first}::bigint[])`, values: [ids, at] };
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
