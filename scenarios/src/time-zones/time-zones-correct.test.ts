import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { requireReachable } from '@faultline/shared/testing';
import { scenarioEnvironment } from '../environment.js';
import { runScenario } from '../run-scenario.js';
import { timeZonesEnvironment } from './time-zones-environment.js';
import { timeZonesScenario } from './time-zones.scenario.js';

// End to end: billing's real workflows on the time-skipping server, the real billing service on the
// real PostgreSQL, Kafka and Temporal (article 9). One file per mode keeps each under a minute.
describe('time-zones scenario, correct mode', () => {
  before(async () => {
    await requireReachable('PostgreSQL primary', scenarioEnvironment().PG_PRIMARY_PORT);
    await requireReachable('Temporal', timeZonesEnvironment().TEMPORAL_PORT);
  });

  it('in correct mode, bills each customer at 09:00 their time across the DST change, once a day, and reports the order on its local day', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(timeZonesScenario, 'correct', (line) => lines.push(line));
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(outcome.measurements.tokyoBilledAtUtc, '00:00');
    assert.match(String(outcome.measurements.newYorkBilledAtUtc), /^(14:00 → 13:00|13:00 → 14:00)$/);
    assert.equal(outcome.measurements.runsPerBilledDate, 1);
    assert.equal(outcome.measurements.lateNewYorkOrderReportedOn, '2026-03-08');
    assert.equal(outcome.measurements.reportDayHours, 23);
  });
});
