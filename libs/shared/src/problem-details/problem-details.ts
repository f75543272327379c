import { HttpException } from '@nestjs/common';

/** The media type of an RFC 9457 problem document. */
export const PROBLEM_JSON = 'application/problem+json';

/**
 * The problem types Faultline defines beyond `about:blank` (which means "nothing more to say than
 * the HTTP status"). They are URNs, not URLs: an identifier a client can switch on, with no promise
 * that something answers at that address.
 */
export const ProblemType = {
  plain: 'about:blank',
  /** The request body, path or query did not match the endpoint's schema; see `errors`. */
  validation: 'urn:faultline:problem:validation',
  /** The body could not be parsed at all (malformed JSON, wrong charset). */
  malformedBody: 'urn:faultline:problem:malformed-body',
  /** A readiness check failed; see `checks`. */
  notReady: 'urn:faultline:problem:not-ready',
  /** A dependency is out (its circuit breaker is open, or every attempt failed); see `Retry-After`. */
  dependencyUnavailable: 'urn:faultline:problem:dependency-unavailable',
  /** A dependency did not answer in time; the outcome is unknown, retry with the same idempotency key. */
  dependencyTimeout: 'urn:faultline:problem:dependency-timeout',
} as const;

/** One field that failed validation: where it was, its path inside that place, and why. */
export interface FieldError {
  in: 'body' | 'query' | 'path' | 'custom';
  /** Dotted path inside the body or query (`items.0.quantity`); the parameter name for a path. */
  path: string;
  message: string;
}

/** An RFC 9457 problem document. Extension members sit beside the standard ones. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path; set by the filter, so a thrower leaves it out. */
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/**
 * Throw this from a handler to answer with exactly this problem document. Anything else thrown is
 * mapped by `toProblemDetails`.
 */
export class ProblemDetailsException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }

  /** 404 for a resource the client named and that does not exist. */
  static notFound(detail: string): ProblemDetailsException {
    return new ProblemDetailsException({ type: ProblemType.plain, title: 'Not Found', status: 404, detail });
  }
}

/** 400 listing every field that failed validation, thrown by `RequestValidationPipe`. */
export class RequestValidationException extends ProblemDetailsException {
  constructor(readonly errors: FieldError[]) {
    super({
      type: ProblemType.validation,
      title: 'Request validation failed',
      status: 400,
      detail:
        errors.length === 1
          ? `${errors.map(describe).join('')}.`
          : `${errors.length} fields are invalid: ${errors.map(describe).join('; ')}.`,
      errors,
    });
  }
}

function describe(error: FieldError): string {
  return error.path ? `${error.path}: ${error.message}` : `${error.in}: ${error.message}`;
}
