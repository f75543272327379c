import type { ServerResponse } from 'node:http';
import type { IdempotentOutcome } from './idempotent-requests.js';

/** Tells a client that it got the stored answer of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Sets the recorded headers (and `Idempotent-Replayed` on a replay) on the response being sent. */
export function writeOutcomeHeaders(response: ServerResponse, outcome: IdempotentOutcome): void {
  for (const [name, value] of Object.entries(outcome.headers)) response.setHeader(name, value);
  if (outcome.replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
}
