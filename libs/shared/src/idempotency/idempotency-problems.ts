import { ProblemDetailsException } from '../problem-details/index.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key.js';

export const IdempotencyProblemType = {
  /** The header is absent or not a usable key. */
  keyRequired: 'urn:faultline:problem:idempotency-key-required',
  /** The key was first used with a different request. */
  keyReused: 'urn:faultline:problem:idempotency-key-reused',
} as const;

export function idempotencyKeyRequired(): ProblemDetailsException {
  return new ProblemDetailsException({
    type: IdempotencyProblemType.keyRequired,
    title: 'Idempotency key required',
    status: 400,
    detail:
      `This endpoint needs an ${IDEMPOTENCY_KEY_HEADER} header: 1 to 255 visible ASCII characters, unique per ` +
      'intended operation (a UUID is a good choice). Send the same key again to retry safely.',
  });
}

export function idempotencyKeyReused(key: string): ProblemDetailsException {
  return new ProblemDetailsException({
    type: IdempotencyProblemType.keyReused,
    title: 'Idempotency key reused with a different request',
    status: 422,
    detail:
      `${IDEMPOTENCY_KEY_HEADER} "${key}" was already used with a different request. Retry with the original ` +
      'request, or use a new key for a new operation.',
  });
}
