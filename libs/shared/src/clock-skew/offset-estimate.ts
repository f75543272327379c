/**
 * One request/response exchange with a peer, in milliseconds since the epoch:
 * t0 local send, t1 peer receive, t2 peer send, t3 local receive (RFC 5905 §8's T1–T4).
 */
export interface ClockExchange {
  t0: number;
  t1: number;
  t2: number;
  t3: number;
}

/** How far the peer's clock is from ours: positive when the peer is ahead. */
export interface OffsetEstimate {
  offsetMs: number;
  /** Round trip minus the peer's processing time: the network time the estimate could be wrong by. */
  delayMs: number;
  /** The offset is exact to within ± this, whatever the asymmetry of the two network legs. */
  errorBoundMs: number;
}

/** The NTP offset and delay of one exchange (RFC 5905 §8). */
export function offsetOf({ t0, t1, t2, t3 }: ClockExchange): OffsetEstimate {
  const delayMs = t3 - t0 - (t2 - t1);
  return { offsetMs: (t1 - t0 + (t2 - t3)) / 2, delayMs, errorBoundMs: delayMs / 2 };
}

/**
 * The peer's clock offset from several exchanges. The formula assumes both network legs took equally
 * long; the error is at most half the delay, so the exchange with the smallest delay gives the
 * tightest estimate (Cristian's algorithm; NTP's clock filter). Averaging would let one slow,
 * lopsided round trip drag the estimate by seconds.
 */
export function estimateOffset(samples: readonly ClockExchange[]): OffsetEstimate {
  let best: OffsetEstimate | undefined;
  for (const sample of samples) {
    const estimate = offsetOf(sample);
    if (estimate.delayMs < 0) continue; // impossible: the peer's clock stepped mid-exchange
    if (!best || estimate.delayMs < best.delayMs) best = estimate;
  }
  if (!best) throw new RangeError('estimateOffset: no usable exchange (none given, or every one had a negative delay)');
  return best;
}
