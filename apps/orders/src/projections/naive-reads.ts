/**
 * WORKSHOP ONLY — article 5's failure, the stale read after the caller's own write: reads that ignore
 * the caller's consistency token and answer from the projection as it is. The projection applies
 * events asynchronously, a moment (or, with ORDERS_PROJECTION_DELAY_MS, seconds) behind the event
 * store, so a client that has just placed or changed an order reads a 404 or the version before its
 * write, and cannot tell: the answer says `Consistency: eventual` and nothing is missing from it as
 * far as it knows. projectionProviders builds these reads instead of ConsistentReads when
 * ORDERS_READS is `naive` (refused outside workshop mode, see resolveProjectionOptions).
 */
import { ConsistentReads, type ProjectionProgress } from './consistent-reads.js';

export class TokenIgnoringReads extends ConsistentReads {
  /** The projection as it is, whatever token the caller sent. */
  override awaitProjection(projection: string): Promise<ProjectionProgress> {
    return super.awaitProjection(projection, undefined);
  }
}
