/**
 * What the ordering guard does with an event, given the last sequence this consumer applied for its
 * aggregate (0 when it has applied none):
 *
 * - `apply`: it is the next one (`last + 1`);
 * - `duplicate`: it was applied already (`<= last`), e.g. a redelivery after a crash;
 * - `hold`: it is early (`> last + 1`): an earlier event of the same aggregate has not arrived yet.
 *   Applying it now is article 4's failure ("cancelled" applied before "placed").
 */
export type OrderingDecision = 'apply' | 'duplicate' | 'hold';

export function decideOrdering(lastSequence: number, sequence: number): OrderingDecision {
  if (sequence === lastSequence + 1) return 'apply';
  return sequence <= lastSequence ? 'duplicate' : 'hold';
}
