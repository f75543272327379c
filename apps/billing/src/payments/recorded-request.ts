import { requestFingerprint } from '@faultline/shared/idempotency';
import type { PaymentOperation } from './payment-lifecycle.js';
import type { PaymentRequestOutcome } from './payment-request.entity.js';

/**
 * The fingerprint a retry must match: the operation and the payment it targets are part of it, so
 * one key sent to capture one payment and then to void another is a different request (422).
 */
export function paymentRequestHash(operation: PaymentOperation, paymentId: string | null, request: object): string {
  return requestFingerprint({ operation, paymentId, request });
}

/** What billing knows about a key when a request with it arrives. */
export interface RecordedRequest {
  requestHash: string;
  outcome: PaymentRequestOutcome;
  responseStatus: number | null;
  responseBody: object | null;
}

export type RecordedRequestDecision =
  /** Another request was sent with this key: 422, nothing else happens. */
  | { kind: 'key-reused' }
  /** The request finished: answer exactly what it answered, success or failure. */
  | { kind: 'replay'; outcome: 'succeeded' | 'failed'; status: number; body: object }
  /**
   * No outcome yet: the first attempt is still running, crashed, or timed out. The caller holding
   * the request's lock calls the provider again with the SAME provider key, which the provider
   * answers with the effect it already made, if it made one (article 6): never a second charge.
   */
  | { kind: 'call-provider' };

/** Pure: what to do with a request whose key is already recorded. */
export function decideOnRecordedRequest(record: RecordedRequest, requestHash: string): RecordedRequestDecision {
  if (record.requestHash !== requestHash) return { kind: 'key-reused' };
  if (record.outcome === 'in-flight') return { kind: 'call-provider' };
  if (record.responseStatus === null || record.responseBody === null) {
    // The table's CHECK makes this impossible; a bug here must not turn into a second charge.
    throw new Error(`payment request recorded as ${record.outcome} without its response`);
  }
  return { kind: 'replay', outcome: record.outcome, status: record.responseStatus, body: record.responseBody };
}
