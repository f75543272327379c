/**
 * A workshop scenario: one article's failure, shown on the real system. In `naive` mode it switches
 * the pitfall on and must reproduce the failure; in `correct` mode (the default) it must show the
 * fix holding. Either way it ends with the measurement that proves what it showed.
 */
export type ScenarioMode = 'naive' | 'correct';

export interface Scenario {
  /** The name people type: `npm run scenario -- <name>`. */
  name: string;
  article: number;
  title: string;
  /** One line per mode: what the room is about to see. */
  promise: Record<ScenarioMode, string>;
  run(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome>;
}

export interface ScenarioOutcome {
  /** True when the run showed what its mode promises: the failure (naive) or the fix (correct). */
  showedWhatItPromised: boolean;
  /** The figures that prove it, printed at the end and asserted by the end-to-end tests. */
  measurements: Record<string, string | number | boolean>;
}

/** Where a scenario tells the room what is happening, step by step. */
export interface Narrator {
  step(text: string): void;
  detail(text: string): void;
}
