import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyReused, requestFingerprint } from '@faultline/shared/idempotency';
import { RequestValidationException } from '@faultline/shared/problem-details';
import type { ProviderCommand } from '../authorizations/authorization.js';
import { IdempotentRequest } from '../entities/index.js';

/** What the provider answers a command: an HTTP status and its body (an Authorization, or a problem). */
export interface ProviderAnswer {
  status: number;
  body: object;
}

export interface LedgerAnswer extends ProviderAnswer {
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** A command as the ledger sees it: the key (optional, as at a real provider) and what it asks for. */
export interface ProviderRequest {
  idempotencyKey: string | undefined;
  operation: ProviderCommand;
  /** The command's target and parameters; a retry with the key must ask for exactly the same. */
  parameters: unknown;
}

/** The same rule as the shared IdempotentRequests: 1–255 visible ASCII characters. */
const USABLE_KEY = /^[\x21-\x7e]{1,255}$/;

interface StoredAnswerRow {
  request_hash: string;
  response_status: number | null;
  response_body: object | null;
}

/**
 * The provider's record of every keyed request (article 6), the way real providers keep one: the
 * key, a fingerprint of the request, and the answer — success or refusal — written in the SAME
 * transaction as the effect. So a response lost after the commit costs nothing: the retry gets the
 * stored answer instead of a second charge, and `GET /v1/requests/{key}` tells a client that timed
 * out what happened. Without a key every call is a new effect, as at Stripe: that is the naive
 * double charge.
 *
 * Two concurrent requests with one key: the second one's INSERT waits on the first one's
 * uncommitted row (the primary key), then finds it committed and replays it — one effect.
 */
@Injectable()
export class RequestLedger {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs `command` once per key, in the transaction that records its answer. `receivedAt`, the
   * request's one instant, is what the ledger records and what the command stamps its changes with.
   */
  async execute(request: ProviderRequest, command: (transaction: EntityManager, receivedAt: Date) => Promise<ProviderAnswer>): Promise<LedgerAnswer> {
    const key = request.idempotencyKey;
    const receivedAt = this.clock.now();
    if (key === undefined) return { ...(await this.dataSource.transaction((transaction) => command(transaction, receivedAt))), replayed: false };
    if (!USABLE_KEY.test(key)) throw unusableKey();
    const requestHash = requestFingerprint({ operation: request.operation, parameters: request.parameters });

    return this.dataSource.transaction(async (transaction) => {
      const claimed: unknown[] = await transaction.query(
        `INSERT INTO idempotent_requests (idempotency_key, operation, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
        [key, request.operation, requestHash, receivedAt],
      );
      if (claimed.length === 0) return replay(transaction, key, requestHash);

      const answer = await command(transaction, receivedAt);
      await transaction.query(
        `UPDATE idempotent_requests SET status = $2, response_status = $3, response_body = $4 WHERE idempotency_key = $1`,
        [key, answer.status < 400 ? 'succeeded' : 'failed', answer.status, JSON.stringify(answer.body)],
      );
      return { ...answer, replayed: false };
    });
  }

  /** The committed record of a key, or null when the provider never received (or never finished) it. */
  find(idempotencyKey: string): Promise<IdempotentRequest | null> {
    return this.dataSource.getRepository(IdempotentRequest).findOneBy({ idempotencyKey });
  }
}

async function replay(transaction: EntityManager, key: string, requestHash: string): Promise<LedgerAnswer> {
  const [stored]: (StoredAnswerRow | undefined)[] = await transaction.query(
    `SELECT request_hash, response_status, response_body FROM idempotent_requests WHERE idempotency_key = $1`,
    [key],
  );
  if (stored?.request_hash !== requestHash) throw idempotencyKeyReused(key);
  // The record and its answer commit together, so a visible record always has its answer.
  if (stored.response_status === null || stored.response_body === null) {
    throw new Error(`Idempotent request ${key} has no stored answer`);
  }
  return { status: stored.response_status, body: stored.response_body, replayed: true };
}

function unusableKey(): RequestValidationException {
  return new RequestValidationException([
    {
      in: 'custom',
      path: IDEMPOTENCY_KEY_HEADER,
      message: 'must be 1 to 255 visible ASCII characters, unique per intended operation (a UUID is a good choice)',
    },
  ]);
}
