import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import type { PaymentOperation } from './payment-lifecycle.js';
import { PaymentRequest } from './payment-request.entity.js';
import type { RecordedRequest } from './recorded-request.js';

export interface PaymentRequestClaim {
  idempotencyKey: string;
  operation: PaymentOperation;
  requestHash: string;
  providerIdempotencyKey: string;
  /** The payment a capture, void or refund changes; null for an authorization. */
  paymentId: string | null;
}

export interface PaymentRequestCompletion {
  outcome: 'succeeded' | 'failed';
  responseStatus: number;
  responseBody: object;
  paymentId: string | null;
}

interface RequestRow {
  request_hash: string;
  outcome: RecordedRequest['outcome'];
  response_status: number | null;
  response_body: object | null;
}

/** PostgreSQL's SQLSTATE for "lock_timeout expired while waiting for a lock". */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The `payment_requests` table: the durable half of article 6's idempotency for an effect that lives
 * outside billing's database. A key is claimed `in-flight` (committed) BEFORE the provider is called,
 * so a crash between the provider's effect and billing's record leaves a trace that the next retry
 * resolves with the same provider key, instead of a clean slate that would charge again.
 */
@Injectable()
export class PaymentRequestLog {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Claims the key in its own committed transaction; `claimed: false` returns the record already there. */
  async claim(claim: PaymentRequestClaim): Promise<{ claimed: true } | { claimed: false; record: RecordedRequest }> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO payment_requests
         (idempotency_key, operation, request_hash, provider_idempotency_key, payment_id, outcome, created_at)
       VALUES ($1, $2, $3, $4, $5, 'in-flight', $6)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [claim.idempotencyKey, claim.operation, claim.requestHash, claim.providerIdempotencyKey, claim.paymentId, this.clock.now()],
    );
    if (inserted.length > 0) return { claimed: true };
    const record = await this.read(this.dataSource.manager, claim.idempotencyKey, '');
    // Only a deletion of an in-flight claim (a locally refused request) between the two statements gets here.
    if (!record) return this.claim(claim);
    return { claimed: false, record };
  }

  /**
   * Locks the key's row until `transaction` ends, waiting at most `waitMs` for a concurrent request
   * with the same key; only the holder calls the provider. Undefined when the claim was released.
   */
  async lock(transaction: EntityManager, idempotencyKey: string, waitMs: number): Promise<RecordedRequest | undefined | 'busy'> {
    await transaction.query(`SELECT set_config('lock_timeout', $1, true)`, [`${waitMs}ms`]);
    try {
      return await this.read(transaction, idempotencyKey, 'FOR UPDATE');
    } catch (error) {
      if (sqlState(error) === LOCK_NOT_AVAILABLE) return 'busy';
      throw error;
    }
  }

  /** Records the outcome and the response a retry will get; inside the transaction that holds the lock. */
  async complete(transaction: EntityManager, idempotencyKey: string, completion: PaymentRequestCompletion): Promise<void> {
    await transaction.query(
      `UPDATE payment_requests
          SET outcome = $2, response_status = $3, response_body = $4, payment_id = COALESCE($5, payment_id), completed_at = $6
        WHERE idempotency_key = $1 AND outcome = 'in-flight'`,
      [
        idempotencyKey,
        completion.outcome,
        completion.responseStatus,
        JSON.stringify(completion.responseBody),
        completion.paymentId,
        this.clock.now(),
      ],
    );
  }

  /**
   * Forgets an in-flight claim for a request refused before the provider was called (unknown payment,
   * local state conflict): like orders' idempotent commands, a refusal leaves no record.
   */
  async release(transaction: EntityManager, idempotencyKey: string): Promise<void> {
    await transaction.query(`DELETE FROM payment_requests WHERE idempotency_key = $1 AND outcome = 'in-flight'`, [idempotencyKey]);
  }

  find(idempotencyKey: string): Promise<PaymentRequest | null> {
    return this.dataSource.getRepository(PaymentRequest).findOneBy({ idempotencyKey });
  }

  private async read(manager: EntityManager, idempotencyKey: string, lock: '' | 'FOR UPDATE'): Promise<RecordedRequest | undefined> {
    const [row]: (RequestRow | undefined)[] = await manager.query(
      `SELECT request_hash, outcome, response_status, response_body FROM payment_requests WHERE idempotency_key = $1 ${lock}`,
      [idempotencyKey],
    );
    if (!row) return undefined;
    return { requestHash: row.request_hash, outcome: row.outcome, responseStatus: row.response_status, responseBody: row.response_body };
  }
}

function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
