import { InvalidEventError } from '../contracts/index.js';

/**
 * What kind of failure stopped a record (article 3). Only a transient one is worth another attempt:
 * a record that does not match its schema, or that breaks a business rule, fails the same way every
 * time, and retrying it only holds up the records behind it.
 */
export type FailureClass = 'schema-invalid' | 'business-invalid' | 'transient';

export interface ClassifiedFailure {
  failureClass: FailureClass;
  retryable: boolean;
  /** The error's own class name, e.g. `QueryFailedError`, for the dead letter and the filters. */
  errorClass: string;
  message: string;
}

/**
 * Thrown by a handler for an event it understands but must refuse (e.g. a refund larger than the
 * charge): the event is valid, the request it carries is not, so it goes to the dead-letter topic
 * after one attempt.
 */
export class BusinessRuleViolation extends Error {
  override readonly name = 'BusinessRuleViolation';
}

/**
 * PostgreSQL SQLSTATE classes that no retry can fix: 22 data exception (a value out of range), 23
 * integrity constraint violation (a duplicate key the inbox did not catch, a missing foreign key).
 * Connection failures (08), shutdowns (57P), serialization failures (40) and timeouts are transient.
 */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23']);

/** Sorts an error into retryable or not; anything unrecognised counts as transient (retrying loses nothing). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const failure = error instanceof Error ? error : new Error(String(error));
  const described = { errorClass: failure.name, message: failure.message };
  if (failure instanceof InvalidEventError || failure instanceof SyntaxError || failure.name === 'ZodError') {
    return { failureClass: 'schema-invalid', retryable: false, ...described };
  }
  if (failure instanceof BusinessRuleViolation || PERMANENT_SQLSTATE_CLASSES.has(sqlState(failure).slice(0, 2))) {
    return { failureClass: 'business-invalid', retryable: false, ...described };
  }
  return { failureClass: 'transient', retryable: true, ...described };
}

function sqlState(error: Error): string {
  // pg's DatabaseError (and TypeORM's QueryFailedError, which copies its fields) carries `code`.
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : '';
}
