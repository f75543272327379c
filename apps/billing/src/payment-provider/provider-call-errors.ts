/**
 * What a provider call can fail with before the pipeline decides what to do: both are counted by
 * the breaker and retried (contract C), unlike a 4xx (DependencyClientError).
 */

/** The provider answered 5xx (or another status it never promised). */
export class ProviderServerError extends Error {
  constructor(
    readonly status: number,
    operation: string,
  ) {
    super(`the payment provider answered ${status} to ${operation}`);
    this.name = 'ProviderServerError';
  }
}

/** The provider answered 2xx with a body that does not match its contract. */
export class ProviderResponseInvalidError extends Error {
  constructor(operation: string, issues: string) {
    super(`the payment provider answered ${operation} with a body that does not match its contract: ${issues}`);
    this.name = 'ProviderResponseInvalidError';
  }
}
