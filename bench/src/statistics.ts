/**
 * The few statistics a benchmark reports. Percentiles use the nearest-rank method: the reported
 * value is one that was actually observed, so a p99 of 40 ms means some event really took 40 ms.
 */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('percentile of no values: the benchmark measured nothing');
  if (fraction <= 0 || fraction > 1) throw new Error(`percentile fraction must be in (0, 1], got ${fraction}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.max(rank, 1) - 1] as number;
}

/** The middle repetition: one slow repetition (another process took the CPU) does not move it. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values: the benchmark measured nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Events per second of `count` events done in `milliseconds`. */
export function ratePerSecond(count: number, milliseconds: number): number {
  if (milliseconds <= 0) throw new Error(`a rate needs a positive duration, got ${milliseconds} ms`);
  return (count * 1000) / milliseconds;
}
