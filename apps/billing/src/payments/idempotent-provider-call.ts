import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { idempotencyKeyRequired, idempotencyKeyReused } from '@faultline/shared/idempotency';
import { ProblemDetailsException, type ProblemDetails } from '@faultline/shared/problem-details';
import type { DependencyTimeoutError } from '@faultline/shared/resilience';
import { PAYMENT_PROVIDER, type PaymentProvider, type ProviderAuthorization, type ProviderRequestRecord } from '../payment-provider/index.js';
import type { PaymentOperation } from './payment-lifecycle.js';
import { paymentOutcomeUnknown, paymentRequestInFlight } from './payment-problems.js';
import { PaymentRequestLog } from './payment-request-log.js';
import type { PaymentRequest } from './payment-request.entity.js';
import type { Payment } from './payment.entity.js';
import { paymentView, toPaymentView, type PaymentView } from './payments.schema.js';
import { providerIdempotencyKey } from './provider-idempotency-key.js';
import { classifyProviderFailure, outcomeOfLookup, type ProviderOutcome } from './provider-outcome.js';
import { decideOnRecordedRequest, paymentRequestHash } from './recorded-request.js';

/** What a client may send as a key: the characters orders' idempotent commands accept. */
export const USABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * How long a request waits for another one with the same key to finish calling the provider. Longer
 * than the provider pipeline's worst case with the default policy — 3 attempts × 2 s timeout with up
 * to 1 s backoff between them (≈ 8 s), then the lookup by key, as long again — so a waiter normally
 * gets the first one's outcome rather than a 503.
 */
export const SAME_KEY_WAIT_MS = 20_000;

/** How long a lookup waits for a key's row lock before it takes the claim as held by a live request. */
const ABANDONED_CLAIM_LOCK_WAIT_MS = 100;

/** One idempotent payment operation, as the use case that runs it describes it. */
export interface ProviderCall<Target> {
  operation: PaymentOperation;
  idempotencyKey: string | undefined;
  /** The validated request: with the operation and payment it is the fingerprint a retry must match. */
  request: object;
  /** The payment a capture, void or refund changes; null for an authorization. */
  paymentId: string | null;
  /** 201 for an authorization (a new payment), 200 for a change. */
  successStatus: 200 | 201;
  /** The business flow of the client's request, sent with every provider call the request makes. */
  correlationId: string;
  /**
   * Runs under the key's lock, before the provider is called: reads and locks what the call needs,
   * or refuses the request. A refusal releases the claim and never reaches the provider.
   */
  prepare(transaction: EntityManager): Promise<{ target: Target } | { refused: ProblemDetailsException }>;
  /** The provider call, with the provider key derived from the client's key. */
  call(target: Target, providerKey: string): Promise<ProviderAuthorization>;
  /**
   * Writes the provider's answer to the ledger, with its event, in the transaction that completes
   * the request; `answeredAt` is when the answer came back, the instant the change takes effect.
   */
  record(transaction: EntityManager, target: Target, authorization: ProviderAuthorization, answeredAt: Date): Promise<Payment>;
  /**
   * Records the provider's final refusal as an event (`billing.payment.failed`), in the transaction
   * that completes the request with the problem: a replay of the key finds the request completed and
   * appends nothing.
   */
  refuse(transaction: EntityManager, target: Target, problem: ProblemDetails, answeredAt: Date): Promise<void>;
}

export interface PaymentAnswer {
  payment: PaymentView;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** A failure answered before (a declined card…): the same problem again, sent as a replay. */
export class ReplayedPaymentProblem extends ProblemDetailsException {}

/** How the locked part of a request ended. */
type Settled =
  | { kind: 'answered'; outcome: 'succeeded' | 'failed'; body: object; replayed: boolean }
  | { kind: 'refused'; problem: ProblemDetailsException }
  /** A concurrent request with the same key was refused and released the claim: decide again. */
  | { kind: 'released' };

/**
 * Article 6's idempotent call to a dependency whose effect lives outside billing's database:
 *
 *   1. claim the key `in-flight` and COMMIT, so a crash after the provider's effect leaves a trace;
 *   2. in a second transaction, lock the key's row — a concurrent request with the same key waits
 *      there (up to SAME_KEY_WAIT_MS, then a retryable 503), so the provider sees ONE call — read
 *      it again, call the provider with a key derived from the client's, record the payment and
 *      the response, commit.
 *
 * The lock is a row lock of a transaction kept open across the provider call: a crash releases it
 * with the connection, and the price is one pooled connection per request in progress.
 *
 * A retry of an in-flight key (the first attempt crashed, or its answer was lost) runs step 2 again
 * with the SAME provider key, so the provider replays the effect it already made: never a second
 * charge. A timeout is resolved by asking the provider about that key once; if it cannot tell, the
 * request stays in flight and the client gets a retryable 503. A declined card is an outcome, stored
 * and replayed like a success.
 */
@Injectable()
export class IdempotentProviderCall {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequestLog,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute<Target>(call: ProviderCall<Target>): Promise<PaymentAnswer> {
    const { idempotencyKey: key, operation } = call;
    if (key === undefined || !USABLE_KEY.test(key)) throw idempotencyKeyRequired();
    const requestHash = paymentRequestHash(operation, call.paymentId, call.request);
    const providerKey = providerIdempotencyKey(operation, key);

    const claim = await this.requests.claim({ idempotencyKey: key, operation, requestHash, providerIdempotencyKey: providerKey, paymentId: call.paymentId });
    if (!claim.claimed) {
      const decision = decideOnRecordedRequest(claim.record, requestHash);
      if (decision.kind === 'key-reused') throw idempotencyKeyReused(key);
      if (decision.kind === 'replay') return answer({ kind: 'answered', outcome: decision.outcome, body: decision.body, replayed: true });
    }
    const settled = await this.dataSource.transaction((transaction) => this.settle(transaction, call, key, requestHash, providerKey));
    if (settled.kind === 'released') return this.execute(call);
    return answer(settled);
  }

  /**
   * What billing knows about a key (the saga's `GET /payments/requests/:key`); null is answered 404,
   * "send it (again) with the same key". A claim still `in-flight` that no request is working on —
   * its row lock is free: the request that made it ended with a 503 while the provider was down, or
   * billing crashed mid-call — is settled only by a same-key retry, and a caller that looks up
   * before it retries would wait for an answer nothing produces (a provider or billing restart would
   * leave the order placed for the saga's ten minutes of lookups). So such a claim
   * reads as null: forgotten if the provider never saw its key; kept if it did, for the retry to
   * record the provider's charge through the same provider key (a replay, never a second charge).
   * Only while the provider cannot say does the claim still read as in flight.
   */
  async lookup(idempotencyKey: string, correlationId: string): Promise<PaymentRequest | null> {
    const request = await this.requests.find(idempotencyKey);
    if (request?.outcome !== 'in-flight') return request;
    return this.dataSource.transaction(async (transaction) => {
      const record = await this.requests.lock(transaction, idempotencyKey, ABANDONED_CLAIM_LOCK_WAIT_MS);
      if (record === 'busy') return request;
      if (record === undefined) return null;
      if (record.outcome !== 'in-flight') return this.requests.find(idempotencyKey);
      let known: ProviderRequestRecord | undefined;
      try {
        known = await this.provider.findRequest(request.providerIdempotencyKey, correlationId);
      } catch {
        // The provider cannot tell now: still in flight, the caller asks again later.
        return request;
      }
      if (known === undefined) await this.requests.release(transaction, idempotencyKey);
      return null;
    });
  }

  private async settle<Target>(
    transaction: EntityManager,
    call: ProviderCall<Target>,
    key: string,
    requestHash: string,
    providerKey: string,
  ): Promise<Settled> {
    const record = await this.requests.lock(transaction, key, SAME_KEY_WAIT_MS);
    if (record === 'busy') throw paymentRequestInFlight(key);
    if (record === undefined) return { kind: 'released' };
    const decision = decideOnRecordedRequest(record, requestHash);
    if (decision.kind === 'key-reused') throw idempotencyKeyReused(key);
    if (decision.kind === 'replay') return { kind: 'answered', outcome: decision.outcome, body: decision.body, replayed: true };

    const prepared = await call.prepare(transaction);
    if ('refused' in prepared) {
      await this.requests.release(transaction, key);
      return { kind: 'refused', problem: prepared.refused };
    }
    const result = await this.callProvider(call, prepared.target, key, providerKey);
    if (result.kind === 'failed') {
      const { problem } = result.problem;
      await call.refuse(transaction, prepared.target, problem, this.clock.now());
      await this.requests.complete(transaction, key, { outcome: 'failed', responseStatus: problem.status, responseBody: problem, paymentId: null });
      return { kind: 'answered', outcome: 'failed', body: problem, replayed: false };
    }
    const payment = toPaymentView(await call.record(transaction, prepared.target, result.authorization, this.clock.now()));
    await this.requests.complete(transaction, key, {
      outcome: 'succeeded',
      responseStatus: call.successStatus,
      responseBody: payment,
      paymentId: payment.paymentId,
    });
    return { kind: 'answered', outcome: 'succeeded', body: payment, replayed: false };
  }

  private async callProvider<Target>(call: ProviderCall<Target>, target: Target, key: string, providerKey: string): Promise<ProviderOutcome> {
    try {
      return { kind: 'succeeded', authorization: await call.call(target, providerKey) };
    } catch (error) {
      const failure = classifyProviderFailure(error);
      if (failure.kind === 'refused') return { kind: 'failed', problem: failure.problem };
      if (failure.kind === 'timed-out') return this.resolveUnknownOutcome(call, key, providerKey, failure.error);
      // Unavailable (breaker open, every attempt failed) or unexpected: the request stays in flight,
      // and a retry with the same key settles it through the same provider key.
      throw error;
    }
  }

  /** Article 6: a timeout does not say whether the charge happened, so ask the provider — once. */
  private async resolveUnknownOutcome<Target>(
    { operation, correlationId }: ProviderCall<Target>,
    key: string,
    providerKey: string,
    timeout: DependencyTimeoutError,
  ): Promise<ProviderOutcome> {
    let record: ProviderRequestRecord | undefined;
    try {
      record = await this.provider.findRequest(providerKey, correlationId);
    } catch (lookupError) {
      throw paymentOutcomeUnknown(key, `${timeout.message}; looking the key up failed too: ${messageOf(lookupError)}`);
    }
    const outcome = outcomeOfLookup(operation, providerKey, record);
    // Not received (yet): a request still travelling may arrive later, so only a retry with the SAME key is safe.
    if (!outcome) throw paymentOutcomeUnknown(key, `${timeout.message}; the provider has no record of that key yet`);
    return outcome;
  }
}

/** The settled request as the client sees it: a Payment, or the stored problem thrown again. */
function answer(settled: Exclude<Settled, { kind: 'released' }>): PaymentAnswer {
  if (settled.kind === 'refused') throw settled.problem;
  if (settled.outcome === 'succeeded') return { payment: paymentView.parse(settled.body), replayed: settled.replayed };
  const problem = settled.body as ProblemDetails;
  throw settled.replayed ? new ReplayedPaymentProblem(problem) : new ProblemDetailsException(problem);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
