/** How the circuit-breaker scenario prints and records a call's duration. */

/** A duration for the narration: tenths under 10 ms, whole milliseconds above. */
export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

/** A duration for the measurements, to a tenth of a millisecond. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
