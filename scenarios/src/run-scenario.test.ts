import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScenario } from './run-scenario.js';
import type { Scenario } from './scenario.js';

/** A scenario that starts nothing and shows what it promised. */
function scenarioWith(switches: Scenario['switches']): Scenario {
  return {
    name: 'stand-in',
    article: 99,
    title: 'A stand-in scenario',
    switches,
    promise: { naive: 'the failure', correct: 'the fix' },
    run: () => Promise.resolve({ showedWhatItPromised: true, measurements: {} }),
  };
}

async function printedLines(scenario: Scenario, mode: 'naive' | 'correct'): Promise<string[]> {
  const lines: string[] = [];
  await runScenario(scenario, mode, (line) => lines.push(line));
  return lines;
}

describe('running a scenario', () => {
  it("names the mode's pitfall switch between the title and the promise", async () => {
    const lines = await printedLines(scenarioWith({ naive: { ORDERS_READS: 'naive' }, correct: { ORDERS_READS: 'consistent' } }), 'naive');
    assert.deepEqual(lines.slice(0, 3), ['Article 99 · A stand-in scenario — naive mode', 'Pitfall switch: ORDERS_READS=naive', 'Promise: the failure']);
  });

  it('lists every switch of a mode that flips several, and says so when a scenario flips none', async () => {
    const twoSwitches = {
      naive: { ORDERS_OUTBOX_PUBLISHING: 'naive', BILLING_CONSUMER_ORDERING: 'naive' },
      correct: { ORDERS_OUTBOX_PUBLISHING: 'ordered', BILLING_CONSUMER_ORDERING: 'guarded' },
    };
    assert.equal((await printedLines(scenarioWith(twoSwitches), 'correct'))[1], 'Pitfall switches: ORDERS_OUTBOX_PUBLISHING=ordered, BILLING_CONSUMER_ORDERING=guarded');
    assert.match((await printedLines(scenarioWith({ naive: {}, correct: {} }), 'naive'))[1] ?? '', /^Pitfall switch: none\b/);
  });
});
