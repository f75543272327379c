/**
 * Another writer appended to the stream after this command read it: the command decided on a stale
 * state. Nothing was written; the caller re-reads the stream and decides again (or tells its client
 * to: HTTP 409, `urn:faultline:problem:concurrency-conflict`).
 */
export class ConcurrencyConflictError extends Error {
  static readonly problemType = 'urn:faultline:problem:concurrency-conflict';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion?: number,
  ) {
    super(
      `Stream ${streamId} is no longer at version ${expectedVersion}` +
        (actualVersion === undefined ? ': another writer appended to it first' : ` but at ${actualVersion}`) +
        ' — read it again and retry the command.',
    );
    this.name = 'ConcurrencyConflictError';
  }
}
