import type { Narrator, PitfallSwitches, Scenario, ScenarioMode, ScenarioOutcome } from './scenario.js';

/** Narrates to a stream of lines (the terminal, or an array in tests). */
export function lineNarrator(write: (line: string) => void): Narrator {
  return {
    step: (text) => write(`▶ ${text}`),
    detail: (text) => write(`  ${text}`),
  };
}

/** Runs one scenario in one mode, framed by the switches it flips, what it promises and what it measured. */
export async function runScenario(scenario: Scenario, mode: ScenarioMode, write: (line: string) => void): Promise<ScenarioOutcome> {
  write(`Article ${scenario.article} · ${scenario.title} — ${mode} mode`);
  write(describeSwitches(scenario.switches[mode]));
  write(`Promise: ${scenario.promise[mode]}`);
  write('');
  const outcome = await scenario.run(mode, lineNarrator(write));
  write('');
  write('Measurements');
  for (const [name, value] of Object.entries(outcome.measurements)) write(`  ${name}: ${value}`);
  write('');
  write(
    outcome.showedWhatItPromised
      ? mode === 'naive'
        ? '✓ the failure reproduced, as naive mode promises'
        : '✓ the fix held, as correct mode promises'
      : `✗ this run did not show what ${mode} mode promises`,
  );
  return outcome;
}

/** The line that tells the room which settings this mode flips, e.g. `Pitfall switch: ORDERS_READS=naive`. */
export function describeSwitches(switches: PitfallSwitches): string {
  const settings = Object.entries(switches).map(([name, value]) => `${name}=${value}`);
  if (settings.length === 0) return "Pitfall switch: none — the scenario builds each mode's set-up itself";
  return `${settings.length === 1 ? 'Pitfall switch' : 'Pitfall switches'}: ${settings.join(', ')}`;
}
