import { pauseUnlessStopped } from '../background-loop/index.js';
import pg from 'pg';
import type { DatabaseSettings } from '../database/index.js';
import type { PendingRow, Statement } from './outbox-table.js';

/** PostgreSQL's type oid of jsonb (pg_type). */
const JSONB_OID = 3802;

/**
 * Leaves jsonb values as the text PostgreSQL sent: the relay forwards the envelope as it is, and
 * parsing it into an object only to serialise it again was pure cost. Other types parse as usual.
 */
const ENVELOPE_AS_TEXT: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === JSONB_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The relay's own connection, outside the pool: it holds the leader lock, LISTENs for writers'
 * notifications, and runs every query of the relay.
 *
 * - A session-level advisory lock belongs to one server session. A pooled connection would hand
 *   that session to other code (or keep it, lock and all, after the relay gave it back), so the
 *   lock lives on a connection nobody else uses, and is released exactly when it closes or dies.
 * - The relay reads and marks rows on this same session, so a relay that lost its session can no
 *   longer touch the outbox: a deposed leader cannot keep publishing next to its successor.
 * - `client_connection_check_interval`: a backend busy in a query (waiting on a row lock, say) does
 *   not notice that its client was killed, and would keep the lock — and a standby waiting — for as
 *   long as the query lasts. With the check, PostgreSQL ends it within a second. TCP keepalives do
 *   the same for a client that vanished from the network without closing its socket.
 * - `synchronous_commit = off`, for this session only: the only writes it commits are the relay's
 *   marks, and a mark lost in a crash of PostgreSQL only sends its batch again, which at-least-once
 *   delivery and the consumers' inbox already absorb (article 4). It spares every batch the wait for
 *   the WAL flush. The writers' commits (events, outbox rows) stay durable: they run on
 *   the service's pool, not here.
 */
export class RelayConnection {
  private notified = false;
  private wake?: () => void;
  private lost?: Error;

  private constructor(private readonly client: pg.Client) {
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (error) => this.markLost(error));
    client.on('end', () => this.markLost(new Error('the relay connection to PostgreSQL closed')));
  }

  static async open(database: DatabaseSettings, applicationName: string): Promise<RelayConnection> {
    const client = new pg.Client({
      host: database.host,
      port: database.port,
      database: database.database,
      user: database.username,
      password: database.password,
      application_name: applicationName,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      options: [
        '-c TimeZone=UTC',
        '-c client_connection_check_interval=1000',
        '-c synchronous_commit=off',
        '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3',
      ].join(' '),
    });
    const connection = new RelayConnection(client);
    try {
      await client.connect();
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  /** False once the session is closed or lost: whatever it held, the lock included, is gone. */
  get isOpen(): boolean {
    return this.lost === undefined;
  }

  /** Non-blocking: true when this session now holds (or already held) the lock. */
  async tryLock(key: string): Promise<boolean> {
    const result = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    return result.rows[0]?.locked === true;
  }

  async listen(channel: string): Promise<void> {
    await this.client.query(`LISTEN "${channel}"`);
    // Anything committed before LISTEN was not announced: the caller does a pass right away.
    this.notified = true;
  }

  /** Rows of OutboxTable.selectPending (or markPublishedAndSelectPending), the envelope as JSON text. */
  async pendingRows(statement: Statement): Promise<PendingRow[]> {
    return (await this.client.query<PendingRow>({ ...statement, types: ENVELOPE_AS_TEXT })).rows;
  }

  async execute(statement: Statement): Promise<void> {
    await this.client.query(statement);
  }

  /**
   * Resolves on the next notification (at once if one came in since the last call), after
   * `timeoutMs`, or on abort; rejects when the connection is lost, so a leader waiting here learns
   * at once that it no longer holds the lock.
   */
  async waitForNotification(timeoutMs: number, signal: AbortSignal): Promise<void> {
    this.throwIfLost();
    if (!this.notified) {
      const woken = new AbortController();
      this.wake = () => woken.abort();
      await pauseUnlessStopped(timeoutMs, AbortSignal.any([signal, woken.signal]));
      this.wake = undefined;
    }
    this.notified = false;
    this.throwIfLost();
  }

  /** Ends the session; PostgreSQL releases its advisory lock with it. */
  async close(): Promise<void> {
    this.lost ??= new Error('the relay connection was closed');
    await this.client.end().catch(() => undefined);
  }

  private markLost(error: Error): void {
    this.lost ??= error;
    this.wake?.();
  }

  private throwIfLost(): void {
    if (this.lost) throw this.lost;
  }
}
