/**
 * A workshop scenario: one article's failure, shown on the real system. In `naive` mode it switches
 * the pitfall on and must reproduce the failure; in `correct` mode (the default) it must show the
 * fix holding. Either way it ends with the measurement that proves what it showed.
 */
export type ScenarioMode = 'naive' | 'correct';

/** Environment variables by name, as the services a scenario starts receive them. */
export type PitfallSwitches = Record<string, string>;

export interface Scenario {
  /** The name people type: `npm run scenario -- <name>`. */
  name: string;
  article: number;
  title: string;
  /**
   * The pitfall switch (DESIGN §6): per mode, the environment variables that turn the pitfall on in
   * the services the scenario starts (naive) or leave the pattern in place (correct). `run` gives
   * the services exactly these, and the runner prints them before the promise, so the room sees what
   * flips. Empty in both modes when the naive side is no service setting but a set-up the scenario
   * builds itself.
   */
  switches: Record<ScenarioMode, PitfallSwitches>;
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
