import { z } from 'zod';

/** The header a write answers with and a read accepts: the caller's position in a service's history. */
export const CONSISTENCY_TOKEN_HEADER = 'X-Consistency-Token';

const PREFIX = 'p1.';
const tokenBody = z.object({ position: z.string().regex(/^\d{1,19}$/) });

/**
 * A consistency token (article 5): an opaque string that names one event by its global position N
 * and stands for "that event and everything committed before it". A write answers with the position
 * of its last event; a read that gets the token back must show at least that much, or say it cannot.
 * The service decides what "before" means (orders: its projections' commit order).
 *
 * Opaque (base64url of a small JSON document) so clients send it back and never build or compare it
 * — the format can change (an LSN for replica reads, a vector for several stores) without breaking
 * them. Not signed: a forged token can only make its own read wait the bounded time and then go to
 * the source of truth, which any caller may read anyway; it grants nothing.
 */
export class ConsistencyToken {
  private constructor(readonly position: bigint) {}

  static at(position: bigint | number | string): ConsistencyToken {
    return new ConsistencyToken(BigInt(position));
  }

  /** The token a header carried; undefined for none, an Error naming the problem for a malformed one. */
  static parse(header: string | undefined): ConsistencyToken | undefined | Error {
    if (header === undefined || header === '') return undefined;
    if (!header.startsWith(PREFIX)) return new Error(`a consistency token starts with "${PREFIX}"`);
    try {
      const body = tokenBody.parse(JSON.parse(Buffer.from(header.slice(PREFIX.length), 'base64url').toString('utf8')));
      return new ConsistencyToken(BigInt(body.position));
    } catch {
      return new Error('the consistency token is not one this service issued; send back the header exactly as received');
    }
  }

  toString(): string {
    return PREFIX + Buffer.from(JSON.stringify({ position: this.position.toString() }), 'utf8').toString('base64url');
  }
}
