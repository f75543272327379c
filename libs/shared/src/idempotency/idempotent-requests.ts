import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../clock/index.js';
import { idempotencyKeyRequired, idempotencyKeyReused } from './idempotency-problems.js';
import { requestFingerprint } from './request-fingerprint.js';

/** A request that must take effect once however often it is sent. */
export interface IdempotentRequest {
  /** The operation and its target, e.g. `place-order` or `cancel-order:<id>`: a key is unique per scope. */
  scope: string;
  /** The client's `Idempotency-Key` header, as received. */
  key: string | undefined;
  /** The validated request; a retry must send the same one. */
  body: unknown;
}

/** The successful response of a command, stored so a retry gets exactly it back. */
export interface RecordedResponse {
  body: object;
  headers: Record<string, string>;
}

export interface IdempotentOutcome extends RecordedResponse {
  /** True when this is the stored response of an earlier request with the same key. */
  replayed: boolean;
}

const USABLE_KEY = /^[\x21-\x7e]{1,255}$/;

interface RecordRow {
  request_hash: string;
  response_body: object | null;
  response_headers: Record<string, string> | null;
}

/**
 * Idempotent commands over HTTP (articles 5 and 6): the key, a hash of the request and the response are
 * stored in the SAME transaction as the command's effects, so a retry after a lost response gets the
 * stored response instead of a second order, and there is never an effect without its record.
 *
 * Two concurrent requests with one key: the second one's INSERT waits on the first one's
 * uncommitted row (the primary key), then finds the committed record and replays it — one effect,
 * two identical answers, no "in flight" error. If the first one rolls back, the second one proceeds.
 * Only successes are recorded: a refused or failed command leaves no record, and a retry decides again.
 *
 * The service creates the `idempotency_records` table in one of its migrations (see orders').
 */
@Injectable()
export class IdempotentRequests {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs `command` once per key, in the transaction that records its response. `receivedAt`, the
   * request's one instant, is what the record keeps and what the command decides with.
   */
  async execute(
    request: IdempotentRequest,
    command: (transaction: EntityManager, receivedAt: Date) => Promise<RecordedResponse>,
  ): Promise<IdempotentOutcome> {
    const { scope, key } = request;
    if (key === undefined || !USABLE_KEY.test(key)) throw idempotencyKeyRequired();
    const requestHash = requestFingerprint(request.body);
    const receivedAt = this.clock.now();

    return this.dataSource.transaction(async (transaction) => {
      const claimed: unknown[] = await transaction.query(
        `INSERT INTO idempotency_records (scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [scope, key, requestHash, receivedAt],
      );
      if (claimed.length === 0) return this.replay(transaction, scope, key, requestHash);

      const response = await command(transaction, receivedAt);
      await transaction.query(
        `UPDATE idempotency_records SET response_body = $3, response_headers = $4 WHERE scope = $1 AND key = $2`,
        [scope, key, JSON.stringify(response.body), JSON.stringify(response.headers)],
      );
      return { ...response, replayed: false };
    });
  }

  private async replay(transaction: EntityManager, scope: string, key: string, requestHash: string): Promise<IdempotentOutcome> {
    const [record]: (RecordRow | undefined)[] = await transaction.query(
      `SELECT request_hash, response_body, response_headers FROM idempotency_records WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (record?.request_hash !== requestHash) throw idempotencyKeyReused(key);
    // The record and the response are committed together, so a visible record always has its response.
    if (!record.response_body) throw new Error(`Idempotency record ${scope}/${key} has no stored response`);
    return { body: record.response_body, headers: record.response_headers ?? {}, replayed: true };
  }
}
