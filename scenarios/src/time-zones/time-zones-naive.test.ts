import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { requireReachable } from '@faultline/shared/testing';
import { scenarioEnvironment } from '../environment.js';
import { runScenario } from '../run-scenario.js';
import { timeZonesEnvironment } from './time-zones-environment.js';
import { timeZonesScenario } from './time-zones.scenario.js';

// End to end: billing's real workflows on the time-skipping server, the real billing service on the
// real PostgreSQL, Kafka and Temporal (article 9). One file per mode keeps each under a minute.
describe('time-zones scenario, naive mode', () => {
  before(async () => {
    await requireReachable('PostgreSQL primary', scenarioEnvironment().PG_PRIMARY_PORT);
    await requireReachable('Temporal', timeZonesEnvironment().TEMPORAL_PORT);
  });

  it("in naive mode, bills Tokyo and New York at the same instant and reports a 23:30 New York order on the next UTC day", async () => {
    const lines: string[] = [];
    const outcome = await runScenario(timeZonesScenario, 'naive', (line) => lines.push(line));
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(outcome.measurements.tokyoAndNewYorkBilledAtSameInstant, true);
    assert.equal(outcome.measurements.lateNewYorkOrderReportedOn, '2026-03-09');
  });
});
