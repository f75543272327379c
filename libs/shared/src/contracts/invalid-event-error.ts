/**
 * Thrown for an event that can never be processed — an envelope or payload that fails its schema, an
 * unknown type, a schemaVersion newer than this code knows. Retrying cannot help, so a consumer sends
 * it to the dead-letter topic with `reason` instead of blocking its partition (article 5).
 */
export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid event: ${reason}`);
    this.name = 'InvalidEventError';
  }
}
