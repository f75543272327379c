/**
 * The three ways a call to a dependency fails once the pipeline has done what it can. Callers
 * switch on the class; the problem+json mapping turns the first two into a 503 (article 1).
 */

/** The dependency is out: its breaker is open, or every attempt failed. Try again after `retryAfterSeconds`. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(
      options?.detail ??
        `${dependency} is unavailable (${describeCause(options?.cause)}); try again in ${retryAfterSeconds} s`,
      { cause: options?.cause },
    );
    this.name = 'DependencyUnavailableError';
  }
}

/**
 * A call outlived the pipeline's timeout and was aborted. Its outcome is UNKNOWN: the dependency may
 * have done the work (article 6 resolves it by looking the request up by its idempotency key).
 */
export class DependencyTimeoutError extends Error {
  constructor(
    readonly dependency: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} did not answer within ${timeoutMs} ms; the call was aborted and its outcome is unknown`, options);
    this.name = 'DependencyTimeoutError';
  }
}

/**
 * The dependency answered 4xx: it is healthy and said no. Never counted by the breaker (a stream
 * of declined cards must not cut every customer off) and never retried (the answer would not change).
 */
export class DependencyClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: unknown,
  ) {
    super(message);
    this.name = 'DependencyClientError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? 'no detail' : String(cause);
}
