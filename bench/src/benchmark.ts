import type { BenchEnvironment } from './bench-environment.js';
import type { Figure } from './figures.js';
import type { LatencySeries } from './latency-chart.js';

/** What a benchmark hands back: its figures, the settings it ran with, and optionally chart lines. */
export interface BenchmarkOutcome {
  figures: Figure[];
  settings: Record<string, unknown>;
  latencySeries?: LatencySeries[];
}

export interface BenchmarkRun {
  bench: BenchEnvironment;
  /** `--quick`: a short run for development (the whole bench in about a minute). */
  quick: boolean;
  /** Progress for the terminal. */
  log: (line: string) => void;
}

/** One benchmark: a file named for what it measures exports one of these. */
export interface Benchmark {
  name: string;
  measures: string;
  run(context: BenchmarkRun): Promise<BenchmarkOutcome>;
}

/**
 * Runs `measure` `times` times and returns every result. Ours and the baseline are measured
 * alternately inside one repetition by the callers, so a burst of load from another process hits
 * both sides rather than one.
 */
export async function repeat<T>(times: number, measure: (repetition: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let repetition = 0; repetition < times; repetition += 1) results.push(await measure(repetition));
  return results;
}
