import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { DependencyTimeoutError, DependencyUnavailableError } from '../resilience/dependency-errors.js';
import { ProblemDetailsException, ProblemType, type ProblemDetails } from './problem-details.js';

export interface MappedProblem {
  problem: ProblemDetails;
  /** True when the error was not an HTTP-aware one: a bug or an outage to log with its stack. */
  unexpected: boolean;
  /** Response headers the problem needs, e.g. `Retry-After` on a 503. */
  headers?: Record<string, string>;
}

/** Said instead of the message of an unexpected error, which may name tables, hosts or secrets. */
export const UNEXPECTED_ERROR_DETAIL =
  'The server failed to handle this request. The error has been logged; quote the request id when reporting it.';

/**
 * Maps anything a request handler, pipe, guard or Express middleware can throw to an RFC 9457
 * problem document. Pure, so every case is unit-tested without a server.
 */
export function toProblemDetails(exception: unknown, instance: string): MappedProblem {
  if (exception instanceof ProblemDetailsException) {
    return { problem: { ...exception.problem, instance }, unexpected: false };
  }
  if (exception instanceof HttpException) {
    return { problem: { ...fromHttpException(exception), instance }, unexpected: false };
  }
  const dependencyProblem = fromDependencyError(exception) ?? fromDatabaseOutage(exception);
  if (dependencyProblem) return { ...dependencyProblem, problem: { ...dependencyProblem.problem, instance } };
  return {
    problem: {
      type: ProblemType.plain,
      title: 'Internal Server Error',
      status: 500,
      detail: UNEXPECTED_ERROR_DETAIL,
      instance,
    },
    unexpected: true,
  };
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const title = STATUS_CODES[status] ?? 'Error';
  // Express's body-parser rejects a body it cannot parse before any handler runs; NestJS passes its
  // error on as a 400 HttpException whose cause keeps body-parser's `type`.
  if (bodyParserErrorType(exception.cause) === 'entity.parse.failed') {
    return {
      type: ProblemType.malformedBody,
      title: 'Malformed request body',
      status,
      detail: `The request body is not valid JSON: ${(exception.cause as Error).message}`,
    };
  }
  return { type: ProblemType.plain, title, status, detail: messageOf(exception) ?? title };
}

function bodyParserErrorType(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null || !('type' in cause)) return undefined;
  return typeof cause.type === 'string' ? cause.type : undefined;
}

/** NestJS exceptions answer with a string or with `{ statusCode, message, error }`. */
function messageOf(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const { message } = response;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return undefined;
}

/** The two kinds of 503 a dependency that is away gives: out, or too slow to answer. */
type ProblemKind = Pick<ProblemDetails, 'type' | 'title'>;
const UNAVAILABLE: ProblemKind = { type: ProblemType.dependencyUnavailable, title: 'Dependency unavailable' };
const TIMED_OUT: ProblemKind = { type: ProblemType.dependencyTimeout, title: 'Dependency timed out' };

/**
 * Article 1: an open breaker (or a dependency that failed every attempt) is a 503 with `Retry-After`,
 * so a well-behaved client waits instead of hammering us. A timeout is a 503 too, not a 504: this
 * service is not a gateway, and "unavailable, retry with the same idempotency key" is what the
 * client must do either way (docs/decisions/0009-resilience-pipeline.md).
 */
function fromDependencyError(exception: unknown): MappedProblem | undefined {
  if (exception instanceof DependencyUnavailableError) return dependencyAway(UNAVAILABLE, exception, exception.retryAfterSeconds);
  if (exception instanceof DependencyTimeoutError) return dependencyAway(TIMED_OUT, exception, 1);
  return undefined;
}

/** A 503 naming the dependency that is away, with the `Retry-After` (in seconds) a client waits before retrying. */
function dependencyAway(
  kind: ProblemKind,
  { dependency, message }: { dependency: string; message: string },
  retryAfterSeconds: number,
): MappedProblem {
  return {
    problem: { ...kind, status: 503, detail: message, dependency },
    unexpected: false,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

/**
 * Connection-level failures of PostgreSQL (node errno codes, SQLSTATE classes 08 and 57P, pg's own
 * messages for a dropped or unobtainable connection). They say the database is away, not that the
 * request is wrong or the code is broken.
 */
const DATABASE_AWAY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);
const DATABASE_AWAY_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i];

/**
 * A database outage (the primary restarting, a network cut) is a 503 with `Retry-After`, like any
 * other dependency that is away: the client retries with the same idempotency key, which makes the
 * retry safe. Answering 500 would tell it the request itself broke something.
 */
function fromDatabaseOutage(exception: unknown): MappedProblem | undefined {
  if (!databaseAway(exception)) return undefined;
  const message = 'The database is unreachable at the moment; retry the request (with the same Idempotency-Key if it has one).';
  return dependencyAway(UNAVAILABLE, { dependency: 'database', message }, 1);
}

function databaseAway(exception: unknown, depth = 0): boolean {
  if (typeof exception !== 'object' || exception === null || depth > 3) return false;
  const { code, message, driverError, cause } = exception as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof code === 'string' && (DATABASE_AWAY_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && DATABASE_AWAY_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // TypeORM wraps the driver's error (QueryFailedError.driverError); others chain it as `cause`.
  return databaseAway(driverError, depth + 1) || databaseAway(cause, depth + 1);
}
