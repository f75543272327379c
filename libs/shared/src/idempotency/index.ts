export { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from './idempotency-key.js';
export { IdempotencyProblemType, idempotencyKeyRequired, idempotencyKeyReused } from './idempotency-problems.js';
export {
  IdempotentRequests,
  type IdempotentOutcome,
  type IdempotentRequest,
  type RecordedResponse,
} from './idempotent-requests.js';
export { requestFingerprint } from './request-fingerprint.js';
export { IDEMPOTENT_REPLAYED_HEADER, writeOutcomeHeaders } from './write-outcome-headers.js';
