/**
 * The ordering guard's statements over its two tables, each written once: OrderingGuard runs them
 * on their own, and InboxCheckpoint (inbox/) fuses them with the inbox's into one round trip per
 * step. `$1`, `$2` and `$3` are always the consumer, the aggregate type and the aggregate id; the
 * other placeholders are passed in, so a fused statement numbers its parameters as it needs.
 */
export const orderingGuardStatements = {
  /** Creates the aggregate's checkpoint at 0 the first time; ON CONFLICT DO NOTHING waits for a concurrent creator. */
  createCheckpoint: (updatedAt: string) =>
    `INSERT INTO ordering_checkpoints (consumer, aggregate_type, aggregate_id, last_sequence, updated_at)
     VALUES ($1, $2, $3, 0, ${updatedAt}) ON CONFLICT DO NOTHING`,

  /** The last sequence applied (with `alsoSelect`), the checkpoint row locked until the transaction ends. */
  lockCheckpoint: (alsoSelect = '') =>
    `SELECT c.last_sequence${alsoSelect}
     FROM ordering_checkpoints c
     WHERE c.consumer = $1 AND c.aggregate_type = $2 AND c.aggregate_id = $3
     FOR UPDATE OF c`,

  advanceCheckpoint: (sequence: string, updatedAt: string) =>
    `UPDATE ordering_checkpoints SET last_sequence = ${sequence}, updated_at = ${updatedAt}
     WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = $3`,

  /** Removes and returns the held event with exactly this sequence, if one is waiting. */
  releaseHeld: (sequence: string) =>
    `DELETE FROM held_events
     WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = $3 AND sequence = ${sequence}
     RETURNING envelope, source, held_at`,
};
